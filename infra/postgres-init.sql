-- First start of the compose PostgreSQL: the Prefect database and the application's login role.
-- The schema belongs to postgres (migrations run as postgres); infra/pg-grants.sql then gives the
-- application role only what it needs.
CREATE DATABASE prefect;
CREATE ROLE lostcontact_app LOGIN;
