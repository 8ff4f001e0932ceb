//! What the server says about itself and its databases: versions, identity, existence, size,
//! row counts. Every catalog query of the tools lives here.

use std::collections::BTreeMap;


use dump::QualifiedName;

use super::admin::{quote_ident, quote_literal, PgAdmin};
use crate::engine::schema::{collapse_ws, migration_query, ColumnInfo, Migrations, SchemaSnapshot, TableInfo, KNOWN_MIGRATION_TABLES};
use super::tools::PgVersion;
use crate::error::{Error, Result};

impl PgAdmin {
    /// The server's version.
    pub fn server_version(&self) -> Result<PgVersion> {
        let rows = self.query("SELECT current_setting('server_version_num')::int4", &[])?;
        let num: i32 = rows
            .first()
            .map(|r| r.get(0))
            .ok_or_else(|| Error::postgres("server did not report its version"))?;
        Ok(PgVersion::from_num(num.max(0) as u32))
    }

    /// The cluster's `system_identifier`: equal on two connections means the same server
    /// (or a physical replica of it), whatever the host names say.
    pub fn system_identifier(&self) -> Result<String> {
        let rows = self.query(
            "SELECT system_identifier::text FROM pg_control_system()",
            &[],
        )?;
        rows.first()
            .map(|r| r.get::<_, String>(0))
            .ok_or_else(|| Error::postgres("no system identifier"))
    }

    /// Whether a database of that exact name exists.
    pub fn database_exists(&self, name: &str) -> Result<bool> {
        let rows = self.query("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])?;
        Ok(!rows.is_empty())
    }

    /// Creates a database (name quoted, so any name works).
    pub fn create_database(&self, name: &str, owner: Option<&str>) -> Result<()> {
        let mut sql = format!("CREATE DATABASE {}", quote_ident(name));
        if let Some(o) = owner {
            sql.push_str(&format!(" OWNER {}", quote_ident(o)));
        }
        self.execute(&sql)
    }

    /// Drops a database if it exists, ending other sessions on it first.
    pub fn drop_database(&self, name: &str) -> Result<()> {
        self.terminate_sessions(name)?;
        self.execute(&format!("DROP DATABASE IF EXISTS {}", quote_ident(name)))
    }

    /// Whether a database accepts connections (`datallowconn`).
    pub fn allows_connections(&self, name: &str) -> Result<bool> {
        let rows = self.query(
            "SELECT datallowconn FROM pg_database WHERE datname = $1",
            &[&name],
        )?;
        Ok(rows.first().map(|r| r.get::<_, bool>(0)).unwrap_or(true))
    }

    /// Renames a database nobody is connected to.
    pub fn rename_database(&self, from: &str, to: &str) -> Result<()> {
        self.execute(&format!(
            "ALTER DATABASE {} RENAME TO {}",
            quote_ident(from),
            quote_ident(to)
        ))
    }

    /// Ends every other session connected to a database (before a rename or drop).
    pub fn terminate_sessions(&self, name: &str) -> Result<()> {
        self.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            &[&name],
        )?;
        Ok(())
    }

    /// Number of user tables, views, sequences and functions: zero means the database is empty
    /// and a restore into it cannot destroy anything.
    pub fn user_object_count(&self) -> Result<i64> {
        let rows = self.query(
            "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' \
                       AND n.nspname NOT LIKE 'pg\\_temp%' AND c.relkind IN ('r','p','v','m','S','f')) \
                  + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
                     WHERE n.nspname NOT IN ('pg_catalog','information_schema'))",
            &[],
        )?;
        Ok(rows.first().map(|r| r.get::<_, i64>(0)).unwrap_or(0))
    }

    /// Exact row counts of every user table (leaf tables: partitions are counted one by one, the
    /// way pg_dump writes their data).
    pub fn row_counts(&self) -> Result<BTreeMap<String, u64>> {
        let rows = self.query(
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog','information_schema') \
               AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' \
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass \
                               AND d.objid = c.oid AND d.deptype = 'e') \
             ORDER BY 1, 2",
            &[],
        )?;
        let mut out = BTreeMap::new();
        for r in rows {
            let schema: String = r.get(0);
            let name: String = r.get(1);
            let q = format!(
                "SELECT count(*) FROM {}.{}",
                quote_ident(&schema),
                quote_ident(&name)
            );
            let c = self.query(&q, &[])?;
            let n: i64 = c.first().map(|r| r.get(0)).unwrap_or(0);
            let key = QualifiedName {
                schema: Some(schema),
                name,
            }
            .to_string();
            out.insert(key, n.max(0) as u64);
        }
        Ok(out)
    }

    /// The statements that empty a database before a forced restore, run inside the restore's own
    /// transaction so a failed restore undoes them too: drop every user schema with its contents,
    /// then recreate `public` as a new database has it.
    pub fn clean_preamble(&self) -> Result<String> {
        let rows = self.query(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog','information_schema') \
             AND nspname NOT LIKE 'pg\\_%' ORDER BY 1",
            &[],
        )?;
        let mut sql = String::new();
        for r in rows {
            let n: String = r.get(0);
            sql.push_str(&format!(
                "DROP SCHEMA IF EXISTS {} CASCADE;\n",
                quote_ident(&n)
            ));
        }
        if self.server_version()?.major >= 15 {
            sql.push_str("CREATE SCHEMA public AUTHORIZATION pg_database_owner;\n");
        } else {
            sql.push_str("CREATE SCHEMA public;\nGRANT ALL ON SCHEMA public TO PUBLIC;\n");
        }
        sql.push_str("COMMENT ON SCHEMA public IS 'standard public schema';\n");
        Ok(sql)
    }

    /// Every user table of a PostgreSQL database that holds rows itself (plain tables and leaf
    /// partitions; not views, not partitioned parents, not extension-owned tables).
    pub fn tables(&self) -> Result<Vec<TableInfo>> {
        let rows = self.query_text(
            "SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), \
                    (NOT a.attnotnull)::text, (a.attgenerated <> '')::text, \
                    coalesce((SELECT string_agg(pa.attname, ',' ORDER BY array_position(i.indkey::int2[], pa.attnum)) \
                              FROM pg_index i JOIN pg_attribute pa ON pa.attrelid = i.indrelid AND pa.attnum = ANY(i.indkey) \
                              WHERE i.indrelid = c.oid AND i.indisprimary), '') \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
             WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog','information_schema') \
               AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' \
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass \
                               AND d.objid = c.oid AND d.deptype = 'e') \
             ORDER BY n.nspname, c.relname, a.attnum",
        )?;
        let mut tables: Vec<TableInfo> = Vec::new();
        for r in rows {
            let [schema, table, col, ty, nullable, generated, pk] = <[String; 7]>::try_from(r)
                .map_err(|_| Error::postgres("unexpected catalog row shape"))?;
            let name = QualifiedName {
                schema: Some(schema),
                name: table,
            };
            if tables.last().is_none_or(|t| t.name != name) {
                tables.push(TableInfo {
                    name: name.clone(),
                    columns: Vec::new(),
                    primary_key: if pk.is_empty() {
                        Vec::new()
                    } else {
                        pk.split(',').map(str::to_string).collect()
                    },
                });
            }
            if let Some(t) = tables.last_mut() {
                t.columns.push(ColumnInfo {
                    name: col,
                    data_type: ty,
                    nullable: nullable == "true",
                    generated: generated == "true",
                });
            }
        }
        Ok(tables)
    }

    /// Reads the schema of a PostgreSQL database (user schemas only).
    pub fn schema_snapshot(&self) -> Result<SchemaSnapshot> {
        const USER_NS: &str = "n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";
        let mut objects = BTreeMap::new();
        let mut add = |rows: Vec<Vec<String>>| {
            for r in rows {
                if let [k, v] = r.as_slice() {
                    objects.insert(k.clone(), collapse_ws(v));
                }
            }
        };
        add(self.query_text(&format!(
            "SELECT 'table ' || format('%I.%I', n.nspname, c.relname), \
                    CASE c.relkind WHEN 'p' THEN 'partitioned table' WHEN 'f' THEN 'foreign table' ELSE 'table' END \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind IN ('r','p','f') AND {USER_NS}"
        ))?);
        add(self.query_text(&format!(
            "SELECT 'column ' || format('%I.%I.%I', n.nspname, c.relname, a.attname), \
                    format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END \
                    || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') \
                    || CASE WHEN a.attgenerated <> '' THEN ' generated' ELSE '' END \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
             LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum \
             WHERE c.relkind IN ('r','p','f','v','m') AND {USER_NS}"
        ))?);
        add(self.query_text(&format!(
            "SELECT 'constraint ' || format('%I.%I.%I', n.nspname, c.relname, con.conname), pg_get_constraintdef(con.oid) \
             FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE {USER_NS}"
        ))?);
        add(self.query_text(&format!(
            "SELECT 'index ' || format('%I.%I', n.nspname, ic.relname), pg_get_indexdef(i.indexrelid) \
             FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace \
             WHERE {USER_NS}"
        ))?);
        add(self.query_text(&format!(
            "SELECT CASE c.relkind WHEN 'v' THEN 'view ' ELSE 'materialized view ' END || format('%I.%I', n.nspname, c.relname), \
                    pg_get_viewdef(c.oid) \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v','m') AND {USER_NS}"
        ))?);
        add(self.query_text(&format!(
            "SELECT 'sequence ' || format('%I.%I', n.nspname, c.relname), format_type(s.seqtypid, NULL) \
             FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER_NS}"
        ))?);
        add(self.query_text(&format!(
            "SELECT 'function ' || format('%I.%I', n.nspname, p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')', \
                    md5(pg_get_functiondef(p.oid)) \
             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
             WHERE p.prokind IN ('f','p') AND {USER_NS} \
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')"
        ))?);
        add(self.query_text(&format!(
            "SELECT 'type ' || format('%I.%I', n.nspname, t.typname), 'enum (' || string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) || ')' \
             FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace \
             WHERE {USER_NS} GROUP BY n.nspname, t.typname"
        ))?);
        add(self.query_text(&format!(
            "SELECT 'trigger ' || format('%I.%I.%I', n.nspname, c.relname, t.tgname), pg_get_triggerdef(t.oid) \
             FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE NOT t.tgisinternal AND {USER_NS}"
        ))?);
        add(self.query_text(
            "SELECT 'extension ' || extname, extversion FROM pg_extension WHERE extname <> 'plpgsql'",
        )?);
        Ok(SchemaSnapshot { objects })
    }

    /// Reads applied migrations from PostgreSQL: `table` if given, else the first known table found
    /// (looked up on the search path, normally `public`).
    pub fn migrations(&self, table: Option<&str>) -> Result<Migrations> {
        let candidates: Vec<String> = match table {
            Some(t) => vec![t.to_string()],
            None => KNOWN_MIGRATION_TABLES
                .iter()
                .map(|s| s.to_string())
                .collect(),
        };
        for t in candidates {
            let cols = self.query_values(&format!(
                "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = to_regclass({}) AND a.attnum > 0 AND NOT a.attisdropped",
                quote_literal(&quote_ident(&t))
            ))?;
            let cols: Vec<String> = cols
                .into_iter()
                .filter_map(|r| r.into_iter().next().flatten())
                .collect();
            if cols.is_empty() {
                if table.is_some() {
                    return Err(Error::Usage(format!("migrations table {t} does not exist")));
                }
                continue;
            }
            let q = migration_query(&t, &cols, quote_ident).ok_or_else(|| {
                Error::Usage(format!(
                    "migrations table {t} has no name, version or id column to compare"
                ))
            })?;
            let applied = self
                .query_values(&q)?
                .into_iter()
                .filter_map(|r| r.into_iter().next().flatten())
                .collect();
            return Ok(Migrations {
                table: Some(t),
                applied,
            });
        }
        Ok(Migrations::default())
    }

    /// Whether this session may create tables here: one is created in a transaction that is
    /// rolled back.
    pub fn can_create_tables(&self) -> Result<()> {
        let r = self.execute("BEGIN; CREATE TABLE backup_tools_write_probe (x int); ROLLBACK;");
        if r.is_err() {
            let _ = self.execute("ROLLBACK");
        }
        r
    }

    /// The owner of a database, if it exists.
    pub fn database_owner(&self, name: &str) -> Result<Option<String>> {
        let rows = self.query(
            "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = $1",
            &[&name],
        )?;
        Ok(rows.first().map(|r| r.get::<_, String>(0)))
    }

    /// Total size in bytes (data, indexes, TOAST) of every user table that holds rows.
    pub fn table_sizes(&self) -> Result<BTreeMap<QualifiedName, i64>> {
        let rows = self.query_text(
            "SELECT n.nspname, c.relname, pg_total_relation_size(c.oid)::text \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog','information_schema') \
               AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'",
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|r| match r.as_slice() {
                [s, t, size] => Some((
                    QualifiedName {
                        schema: Some(s.clone()),
                        name: t.clone(),
                    },
                    size.parse().unwrap_or(0),
                )),
                _ => None,
            })
            .collect())
    }

    /// Sequences owned by a column (serial, identity) whose next value would collide with a
    /// value already in that column: `(sequence, table.column)`.
    pub fn sequences_behind_their_columns(&self) -> Result<Vec<(String, String)>> {
        let seqs = self.query_text(
            "SELECT format('%I.%I', sn.nspname, s.relname), format('%I.%I', tn.nspname, t.relname), quote_ident(a.attname) \
             FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' \
             JOIN pg_namespace sn ON sn.oid = s.relnamespace \
             JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace \
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid \
             WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a','i')",
        )?;
        let mut behind = Vec::new();
        for r in seqs {
            if let [seq, table, col] = r.as_slice() {
                let ok = self.query_text(&format!(
                    "SELECT (SELECT coalesce(max({col})::numeric, 0) FROM {table}) <= \
                            (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {seq})"
                ))?;
                if ok.first().and_then(|r| r.first()).map(String::as_str) != Some("t") {
                    behind.push((seq.clone(), format!("{table}.{col}")));
                }
            }
        }
        Ok(behind)
    }
}
