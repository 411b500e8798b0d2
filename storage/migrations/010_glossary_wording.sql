-- Reference data in the glossary's words. A province's old names are either merged provinces
-- or a rename / nickname (Thừa Thiên Huế, Sài Gòn): the bot says "đã hợp nhất vào" only for
-- the first. Dossier explanations seeded by earlier releases are reworded where they still
-- hold the old text (an officer's edit is kept): optional items never ask anyone to claim a
-- paper they lack, and tone marks are placed as in official names (hóa, not hoá).

ALTER TABLE provinces ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]';
UPDATE provinces SET aliases = '["Thừa Thiên Huế"]' WHERE code = 'HUE' AND former LIKE '%Thừa Thiên Huế%';
UPDATE provinces SET aliases = '["Sài Gòn"]' WHERE code = 'HCM' AND former LIKE '%Sài Gòn%';

UPDATE dossier_items
   SET explain_vi = 'Không bắt buộc; chưa có thì bỏ qua. Các chứng nhận quản lý chất lượng mà cơ sở đang có (VietGAP, hữu cơ, ISO, HACCP).',
       explain_en = 'Not required; if you have none, leave it. Quality-management certificates the premises hold (VietGAP, organic, ISO, HACCP).'
 WHERE code = 'quality_certs'
   AND explain_vi = 'Các chứng nhận quản lý chất lượng mà cơ sở đang có; không có thì đánh dấu "có giấy" để bỏ qua.';
UPDATE dossier_items
   SET explain_vi = 'Năm sản phẩm mẫu nộp trực tiếp kèm hồ sơ để Hội đồng đánh giá; khi đã chuẩn bị, gửi ảnh các sản phẩm mẫu.',
       explain_en = 'Five samples handed in with the dossier for the council; once they are ready, send a photo of them.'
 WHERE code = 'samples'
   AND explain_vi = 'Năm sản phẩm mẫu nộp kèm hồ sơ để hội đồng đánh giá; đánh dấu "có giấy" khi đã chuẩn bị.';
UPDATE dossier_items
   SET explain_vi = 'Giấy tờ chứng minh nguồn nguyên liệu: vùng trồng, hợp đồng cung ứng, hóa đơn mua.'
 WHERE code = 'raw_origin'
   AND explain_vi = 'Giấy tờ chứng minh nguồn nguyên liệu: vùng trồng, hợp đồng cung ứng, hoá đơn mua.';
UPDATE dossier_items
   SET explain_vi = 'Hợp đồng, hóa đơn bán hàng, ảnh hội chợ, gian hàng trên sàn thương mại điện tử.'
 WHERE code = 'market'
   AND explain_vi = 'Hợp đồng, hoá đơn bán hàng, ảnh hội chợ, gian hàng trên sàn thương mại điện tử.';
UPDATE dossier_items
   SET explain_vi = 'Bài viết ngắn về nguồn gốc, con người và nét văn hóa gắn với sản phẩm.'
 WHERE code = 'story'
   AND explain_vi = 'Bài viết ngắn về nguồn gốc, con người và nét văn hoá gắn với sản phẩm.';
