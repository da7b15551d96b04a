-- The files a delivery carries, found by the delivery: showing a contract joins its deliveries
-- with their files, which without this index read every file of every contract for each
-- delivery. Keep in step with the other backend's copy.
CREATE INDEX contract_files_delivery ON contract_files (delivery_id, created_at, id);
