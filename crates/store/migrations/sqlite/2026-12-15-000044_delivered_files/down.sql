DROP INDEX contract_files_delivery;
