-- The articles of 26/2026/QĐ-TTg that state the rules, as the project's source names them:
-- Điều 11 (in force from 22/05/2026), Điều 12 (the transition, the 180-day grace), Điều 5
-- and 7 (the province's and the ministry's rounds). Only rows no officer corrected change:
-- a correction (`ocop-bot rules set`, which records who made it) is never overwritten.

UPDATE rules SET article = 'Điều 11', checked = 1
    WHERE key IN ('decision', 'in_force_from') AND updated_by IS NULL;
UPDATE rules SET article = 'Điều 12', checked = 1
    WHERE key = 'rerating_grace_days' AND updated_by IS NULL;
UPDATE rules SET article = 'Điều 5, 7', checked = 1
    WHERE key IN ('round1_forward_by', 'round1_end', 'round2_forward_by', 'round2_end',
                  'ministry1_proposals_by', 'ministry1_end', 'ministry2_proposals_by',
                  'ministry2_end')
      AND updated_by IS NULL;
