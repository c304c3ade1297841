-- The alerts Alertmanager delivered to the orchestrator's webhook (POST /api/alertmanager/webhook), so that the API
-- and Grafana can list them next to the sweeps they name. Same dialect as V1 and V2: VARCHAR without a length for
-- JSON text, TIMESTAMP WITH TIME ZONE, no partial indexes.

-- One row per (fingerprint, starts_at, status): Alertmanager sends a firing group again at every repeat_interval
-- and retries failed deliveries, so the same alert arrives many times; the row of its first delivery stays
-- (INSERT ... ON CONFLICT DO NOTHING). Its resolution is a second row, with status 'resolved'.
-- sweep_id and trial_id are the alert's 'sweep' and 'trial' labels, without a foreign key: an alert may name no
-- sweep (the orchestrator is down) or one this store does not have.
CREATE TABLE received_alerts (
    fingerprint   VARCHAR(64)              NOT NULL,
    starts_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    status        VARCHAR(16)              NOT NULL,
    alertname     VARCHAR,
    sweep_id      VARCHAR,
    trial_id      VARCHAR,
    labels        VARCHAR                  NOT NULL,
    annotations   VARCHAR                  NOT NULL,
    ends_at       TIMESTAMP WITH TIME ZONE,
    generator_url VARCHAR,
    receiver      VARCHAR,
    received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (fingerprint, starts_at, status)
);

-- The newest-first list.
CREATE INDEX received_alerts_received_at ON received_alerts (received_at);
