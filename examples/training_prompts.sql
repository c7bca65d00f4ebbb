-- The prompt-improvement pipeline's training table, as its migrations create it.
CREATE TABLE IF NOT EXISTS user_sessions (
    id varchar(255) PRIMARY KEY
);

CREATE TABLE IF NOT EXISTS training_prompts (
    id serial PRIMARY KEY,
    prompt_text varchar(10000) NOT NULL,
    enhancement_result jsonb NOT NULL,
    data_source varchar(50) NOT NULL,
    training_priority integer NOT NULL,
    created_at timestamp NOT NULL,
    updated_at timestamp NULL,
    deleted_at timestamp NULL,
    is_active boolean NOT NULL DEFAULT true,
    session_id varchar(255) NULL REFERENCES user_sessions (id),
    CONSTRAINT training_prompts_data_source_check
        CHECK (data_source IN ('synthetic', 'real', 'user', 'api', 'batch')),
    CONSTRAINT training_prompts_priority_check
        CHECK (training_priority BETWEEN 1 AND 1000)
);

CREATE INDEX IF NOT EXISTS ix_training_prompts_prompt_text ON training_prompts (prompt_text);
CREATE INDEX IF NOT EXISTS ix_training_prompts_data_source ON training_prompts (data_source);
CREATE INDEX IF NOT EXISTS ix_training_prompts_is_active ON training_prompts (is_active);
CREATE INDEX IF NOT EXISTS ix_training_prompts_created_at ON training_prompts (created_at);
CREATE INDEX IF NOT EXISTS ix_training_prompts_training_priority ON training_prompts (training_priority);
