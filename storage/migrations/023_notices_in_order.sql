-- Notices to one person go out in the order they were written: a later (urgent) notice
-- waits while an earlier one to the same chat is still open. This index finds that earlier one.
CREATE INDEX outbox_open_notices ON outbox(channel, chat_id, id)
    WHERE kind = 'notice' AND status IN ('pending', 'sending', 'retry');
