-- The request headers a refused delivery came with that bear on its signature and its meaning
-- (x-btrz-signature, webhook-id, webhook-timestamp, webhook-signature, sequence-version,
-- content-type, user-agent), as a JSON object, so that an operator can see what was sent and
-- `rejected retry` can judge a seat event by the API version it named. Never a secret:
-- Authorization is not kept. NULL for rows stored before this version.
ALTER TABLE rejected_events ADD COLUMN headers TEXT;
