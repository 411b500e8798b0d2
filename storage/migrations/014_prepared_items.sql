-- Some dossier items are things to prepare, not papers (the samples of the product): they
-- are marked "Tôi đã chuẩn bị", not "Tôi có bản giấy". The self-assessment explanation seeded
-- by earlier releases addressed the producer as "bạn"; reworded where it still holds the old
-- text (an officer's edit is kept).

ALTER TABLE dossier_items ADD COLUMN physical INTEGER NOT NULL DEFAULT 0;
UPDATE dossier_items SET physical = 1 WHERE code = 'samples';

UPDATE dossier_items
   SET explain_vi = 'Chủ thể tự chấm sản phẩm theo bộ tiêu chí của bộ sản phẩm, kèm minh chứng.'
 WHERE code = 'self_assess'
   AND explain_vi = 'Bạn tự chấm sản phẩm theo bộ tiêu chí của bộ sản phẩm, kèm minh chứng.';
