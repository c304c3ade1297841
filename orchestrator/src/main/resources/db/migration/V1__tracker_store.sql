-- The tracker store. One dialect for PostgreSQL 15 and H2 2.x in PostgreSQL mode:
-- VARCHAR without a length (unbounded in PostgreSQL, 1 MiB in H2) instead of TEXT (a CLOB in H2),
-- TIMESTAMP WITH TIME ZONE read and written as OffsetDateTime, no partial indexes, no jsonb.
-- "value" is quoted because it is a keyword in H2.

CREATE TABLE sweeps (
    id               VARCHAR(32)              NOT NULL PRIMARY KEY,
    name             VARCHAR(200),
    description      VARCHAR,
    method           VARCHAR(16)              NOT NULL,
    state            VARCHAR(16)              NOT NULL,
    cancel_requested BOOLEAN                  NOT NULL DEFAULT FALSE,
    spec_text        VARCHAR                  NOT NULL,
    seed             BIGINT                   NOT NULL,
    metric_name      VARCHAR(200),
    metric_goal      VARCHAR(16),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at      TIMESTAMP WITH TIME ZONE
);

CREATE INDEX sweeps_created_at ON sweeps (created_at);

CREATE TABLE trials (
    id                VARCHAR(48)              NOT NULL PRIMARY KEY,
    sweep_id          VARCHAR(32)              NOT NULL REFERENCES sweeps (id),
    idx               INTEGER                  NOT NULL,
    params            VARCHAR                  NOT NULL,
    state             VARCHAR(16)              NOT NULL,
    attempt           INTEGER                  NOT NULL DEFAULT 0,
    lost_attempts     INTEGER                  NOT NULL DEFAULT 0,
    step              BIGINT                   NOT NULL DEFAULT 0,
    total_steps       BIGINT                   NOT NULL DEFAULT 0,
    worker            VARCHAR(200),
    reason            VARCHAR,
    cancel_requested  BOOLEAN                  NOT NULL DEFAULT FALSE,
    requested_at      TIMESTAMP WITH TIME ZONE,
    stop_published_at TIMESTAMP WITH TIME ZONE,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at        TIMESTAMP WITH TIME ZONE,
    finished_at       TIMESTAMP WITH TIME ZONE,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT trials_sweep_idx UNIQUE (sweep_id, idx)
);

-- The outbox relay looks for requests Kafka has not acknowledged yet.
CREATE INDEX trials_requested_at ON trials (requested_at);
CREATE INDEX trials_state ON trials (state);

CREATE TABLE metric_steps (
    trial_id    VARCHAR(48)              NOT NULL REFERENCES trials (id),
    step        BIGINT                   NOT NULL,
    attempt     INTEGER                  NOT NULL,
    worker      VARCHAR(200),
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (trial_id, step)
);

CREATE TABLE metric_values (
    trial_id VARCHAR(48)      NOT NULL,
    step     BIGINT           NOT NULL,
    name     VARCHAR(200)     NOT NULL,
    "value"  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (trial_id, step, name),
    FOREIGN KEY (trial_id, step) REFERENCES metric_steps (trial_id, step)
);

-- One metric of one trial over the steps: Grafana panels and the latest-value lookup.
CREATE INDEX metric_values_trial_name_step ON metric_values (trial_id, name, step);
