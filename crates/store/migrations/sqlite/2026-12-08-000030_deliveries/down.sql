DROP TABLE contract_files;
DROP TABLE deliveries;
