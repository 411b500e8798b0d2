-- Some dossier items are only needed if the producer has them (VietGAP, organic, ISO, HACCP):
-- they are listed but do not count as missing.

ALTER TABLE dossier_items ADD COLUMN optional INTEGER NOT NULL DEFAULT 0;
UPDATE dossier_items SET optional = 1 WHERE code = 'quality_certs';
