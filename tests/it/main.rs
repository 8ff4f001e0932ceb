//! Integration tests: the real binaries against a real PostgreSQL cluster and real SQLite files.

mod backup_pg;
mod backup_sqlite;
mod config_run;
mod faults;
mod mask_roundtrip;
mod mask_tool;
mod restore;
mod retention_cli;
mod sync_run;
mod sync_tools;
mod corpus;
mod faults_apply;
mod faults_backup;
mod faults_common;
mod faults_guard;
mod faults_hangs;
mod faults_restore;
mod faults_retention;
mod faults_sync;
mod operator_common;
mod operator_conn;
mod operator_restore;
mod operator_cron;
mod operator_monitor;
mod operator_terminal;
mod operator_ecosystem;
