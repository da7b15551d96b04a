DROP TABLE deposit_requests;
DROP TABLE disputes;
