-- One row the server's writer rewrites on every health check (GET /healthz): a real committed
-- write, so a full disk or an unwritable file shows as unhealthy, not only a held lock.
CREATE TABLE writer_heartbeat (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  at TEXT NOT NULL
);
