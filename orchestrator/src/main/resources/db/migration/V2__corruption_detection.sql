-- The corruption-stage detector's verdict per trial and the outbox of its alerts (docs/store.md).
-- Same dialect as V1: VARCHAR without a length for JSON text, TIMESTAMP WITH TIME ZONE, no partial indexes.

-- The latest verdict of each trial: the detector replayed over the trial's stored eval points in step order,
-- written in the transaction that stored the newest point. No row before the trial's first stored point.
CREATE TABLE trial_detections (
    trial_id   VARCHAR(48)              NOT NULL PRIMARY KEY REFERENCES trials (id),
    detector   VARCHAR(32)              NOT NULL,
    state      VARCHAR(16)              NOT NULL,
    windows    VARCHAR                  NOT NULL,
    points     INTEGER                  NOT NULL,
    last_step  BIGINT,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row per alert ever decided: ENTERED once per corruption window, EXITED at most once after it.
-- (trial_id, detector, onset) identifies the window as its ENTERED announced it; published_at null = still in
-- the outbox (not acknowledged by Kafka yet).
CREATE TABLE corruption_alerts (
    trial_id     VARCHAR(48)              NOT NULL REFERENCES trials (id),
    detector     VARCHAR(32)              NOT NULL,
    onset        BIGINT                   NOT NULL,
    kind         VARCHAR(16)              NOT NULL,
    sweep_id     VARCHAR(32)              NOT NULL,
    step         BIGINT                   NOT NULL,
    end_step     BIGINT,
    depth        DOUBLE PRECISION         NOT NULL,
    state        VARCHAR(16)              NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    published_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (trial_id, detector, onset, kind)
);

-- The outbox relay looks for alerts Kafka has not acknowledged yet.
CREATE INDEX corruption_alerts_published_at ON corruption_alerts (published_at);
