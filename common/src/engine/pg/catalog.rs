//! What the server says about itself and its databases: versions, identity, existence, size,
//! row counts. Every catalog query of the tools lives here.

use std::collections::BTreeMap;

use dump::QualifiedName;

use super::admin::{quote_ident, quote_literal, PgAdmin};
use super::tools::PgVersion;
use crate::engine::schema::{
    collapse_ws, migration_query, ColumnInfo, Migrations, SchemaSnapshot, TableInfo,
    KNOWN_MIGRATION_TABLES,
};
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
    ///
    /// Sent even after a stop was requested: dropping is how a stopped run removes what it built.
    pub fn drop_database(&self, name: &str) -> Result<()> {
        self.query_text_cleanup(&format!(
            "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity WHERE datname = {} AND pid <> pg_backend_pid()",
            quote_literal(name)
        ))?;
        self.wait_until_unused(name);
        self.execute_cleanup(&format!("DROP DATABASE IF EXISTS {}", quote_ident(name)))
    }

    /// Waits (up to 2 s, polling every 2 ms) until no other session is on a database: sessions
    /// that just disconnected or were ended take a moment to leave, and a rename or drop that
    /// finds one there waits a tenth of a second before it looks again. Errors here only cut the
    /// wait short: the rename or drop that follows reports what is wrong.
    pub fn wait_until_unused(&self, name: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
        while std::time::Instant::now() < deadline {
            let rows = self.query_text_cleanup(&format!(
                "SELECT 1 FROM pg_stat_activity WHERE datname = {} AND pid <> pg_backend_pid() LIMIT 1",
                quote_literal(name)
            ));
            match rows {
                Ok(rows) if !rows.is_empty() => {
                    std::thread::sleep(std::time::Duration::from_millis(2))
                }
                _ => return,
            }
        }
    }

    /// The comment on a database, if it has one.
    pub fn database_comment(&self, name: &str) -> Result<Option<String>> {
        let rows = self.query(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
            &[&name],
        )?;
        Ok(rows.first().and_then(|r| r.get::<_, Option<String>>(0)))
    }

    /// Whether a database accepts connections (`datallowconn`).
    pub fn allows_connections(&self, name: &str) -> Result<bool> {
        let rows = self.query(
            "SELECT datallowconn FROM pg_database WHERE datname = $1",
            &[&name],
        )?;
        Ok(rows.first().map(|r| r.get::<_, bool>(0)).unwrap_or(true))
    }

    /// About how many bytes of rows the user tables hold (heap and TOAST, no indexes): roughly
    /// the size of a plain dump's data, for a progress bar's total.
    pub fn data_size(&self) -> Result<u64> {
        let rows = self.query_text(
            "SELECT coalesce(sum(pg_table_size(c.oid)), 0)::text FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog','information_schema') \
               AND n.nspname NOT LIKE 'pg\\_toast%'",
        )?;
        Ok(rows
            .first()
            .and_then(|r| r.first())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Whether a role of that exact name exists.
    pub fn role_exists(&self, name: &str) -> Result<bool> {
        Ok(!self
            .query("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&name])?
            .is_empty())
    }

    /// Whether a tablespace of that exact name exists.
    pub fn tablespace_exists(&self, name: &str) -> Result<bool> {
        Ok(!self
            .query("SELECT 1 FROM pg_tablespace WHERE spcname = $1", &[&name])?
            .is_empty())
    }

    /// Renames a database nobody is connected to.
    pub fn rename_database(&self, from: &str, to: &str) -> Result<()> {
        self.wait_until_unused(from);
        self.execute(&format!(
            "ALTER DATABASE {} RENAME TO {}",
            quote_ident(from),
            quote_ident(to)
        ))
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
            let table = QualifiedName {
                schema: Some(r.get(0)),
                name: r.get(1),
            };
            out.insert(table.to_string(), self.row_count(&table)?);
        }
        Ok(out)
    }

    /// The exact row count of one table (its own rows, not its children's).
    pub fn row_count(&self, table: &QualifiedName) -> Result<u64> {
        let q = format!("SELECT count(*) FROM ONLY {}", regclass_text(table));
        let c = self.query(&q, &[])?;
        let n: i64 = c.first().map(|r| r.get(0)).unwrap_or(0);
        Ok(n.max(0) as u64)
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
    /// partitions; not views, not partitioned parents, not extension-owned tables), tables
    /// without columns included.
    pub fn tables(&self) -> Result<Vec<TableInfo>> {
        let rows = self.query_text(
            "SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), \
                    (NOT a.attnotnull)::text, (a.attgenerated <> '')::text, \
                    coalesce((SELECT string_agg(pa.attname, ',' ORDER BY array_position(i.indkey::int2[], pa.attnum)) \
                              FROM pg_index i JOIN pg_attribute pa ON pa.attrelid = i.indrelid AND pa.attnum = ANY(i.indkey) \
                              WHERE i.indrelid = c.oid AND i.indisprimary), ''), \
                    EXISTS (SELECT 1 FROM pg_constraint f WHERE f.conrelid = c.oid AND f.contype = 'f' \
                            AND a.attnum = ANY(f.conkey))::text \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
             WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog','information_schema') \
               AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' \
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass \
                               AND d.objid = c.oid AND d.deptype = 'e') \
             ORDER BY n.nspname, c.relname, a.attnum",
        )?;
        let mut tables: Vec<TableInfo> = Vec::new();
        for r in rows {
            let [schema, table, col, ty, nullable, generated, pk, fk] = <[String; 8]>::try_from(r)
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
                    full_text: false,
                });
            }
            // A table without columns (it can still hold rows) comes as one row without one.
            if col.is_empty() {
                continue;
            }
            if let Some(t) = tables.last_mut() {
                t.columns.push(ColumnInfo {
                    name: col,
                    data_type: ty,
                    nullable: nullable == "true",
                    generated: generated == "true",
                    foreign_key: fk == "true",
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
            let _ = self.execute_cleanup("ROLLBACK");
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

    /// Every user sequence: its state, and the columns whose values it hands out (owned-by,
    /// identity, or a default calling `nextval` on it, as schemas ported from MySQL do without
    /// `OWNED BY`).
    pub fn sequences(&self) -> Result<Vec<Sequence>> {
        let rows = self.query_values(
            "SELECT c.oid::text, format('%I.%I', n.nspname, c.relname), \
                    coalesce(pg_sequence_last_value(c.oid), s.seqstart)::text, \
                    (pg_sequence_last_value(c.oid) IS NOT NULL)::text, s.seqincrement::text \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             JOIN pg_sequence s ON s.seqrelid = c.oid \
             WHERE c.relkind = 'S' AND n.nspname NOT IN ('pg_catalog','information_schema') \
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass \
                               AND d.objid = c.oid AND d.deptype = 'e') \
             ORDER BY 2",
        )?;
        let users = self.query_values(
            "SELECT d.objid::text, format('%I.%I', tn.nspname, t.relname), quote_ident(a.attname) \
             FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid \
             JOIN pg_namespace tn ON tn.oid = t.relnamespace \
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid \
             WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass \
               AND d.deptype IN ('a','i') AND t.relkind IN ('r','p') \
             UNION \
             SELECT d.refobjid::text, format('%I.%I', tn.nspname, t.relname), quote_ident(a.attname) \
             FROM pg_depend d JOIN pg_attrdef ad ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid \
             JOIN pg_class s ON s.oid = d.refobjid AND s.relkind = 'S' \
             JOIN pg_class t ON t.oid = ad.adrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace \
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ad.adnum \
             WHERE t.relkind IN ('r','p')",
        )?;
        let mut out = Vec::new();
        for r in rows {
            let [Some(oid), Some(name), Some(last), Some(called), Some(inc)] =
                <[Option<String>; 5]>::try_from(r)
                    .map_err(|_| Error::postgres("unexpected catalog row shape"))?
            else {
                continue;
            };
            let columns = users
                .iter()
                .filter(|u| u.first().and_then(|x| x.as_deref()) == Some(oid.as_str()))
                .filter_map(
                    |u| match (u.get(1).cloned().flatten(), u.get(2).cloned().flatten()) {
                        (Some(t), Some(c)) => Some((t, c)),
                        _ => None,
                    },
                )
                .collect();
            out.push(Sequence {
                name,
                last_value: last.parse().unwrap_or(0),
                is_called: called == "true",
                increment: inc.parse().unwrap_or(1),
                columns,
            });
        }
        Ok(out)
    }

    /// The largest value in a column, if it has any (as numeric text, to compare with a
    /// sequence's value).
    pub fn column_max(&self, table: &str, column: &str) -> Result<Option<i128>> {
        let rows =
            self.query_values(&format!("SELECT max({column})::numeric::text FROM {table}"))?;
        Ok(rows
            .first()
            .and_then(|r| r.first().cloned().flatten())
            .and_then(|v| v.split('.').next().and_then(|i| i.parse().ok())))
    }

    /// Sets sequences to the given states (`setval`), in this session.
    pub fn set_sequences(&self, seqs: &[Sequence]) -> Result<()> {
        for s in seqs {
            self.execute(&format!(
                "SELECT pg_catalog.setval({}, {}, {})",
                quote_literal(&s.name),
                s.last_value,
                s.is_called
            ))?;
        }
        Ok(())
    }

    /// Foreign keys that touch any of `tables` (either side, the tables' partition ancestors
    /// included): `(table as SQL, constraint name, definition)`, root constraints only (dropping
    /// one drops its partitions' copies; adding it back makes them again).
    pub fn foreign_keys_touching(
        &self,
        tables: &[QualifiedName],
    ) -> Result<Vec<(String, String, String)>> {
        if tables.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = tables
            .iter()
            .map(|t| quote_literal(&regclass_text(t)))
            .collect();
        let sql = format!(
            "WITH t AS (SELECT r::regclass AS oid FROM unnest(ARRAY[{}]::text[]) AS r), \
                  s AS (SELECT oid FROM t UNION SELECT a.relid FROM t, pg_partition_ancestors(t.oid) a) \
             SELECT format('%I.%I', n.nspname, c.relname), con.conname, pg_get_constraintdef(con.oid) \
             FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE con.contype = 'f' AND con.conparentid = 0 \
               AND (con.conrelid IN (SELECT oid FROM s) OR con.confrelid IN (SELECT oid FROM s)) \
             ORDER BY 1, 2",
            list.join(", ")
        );
        Ok(self
            .query_text(&sql)?
            .into_iter()
            .filter_map(|r| match <[String; 3]>::try_from(r) {
                Ok([t, n, d]) => Some((t, n, d)),
                Err(_) => None,
            })
            .collect())
    }

    /// The user (not internal) triggers of a table that are enabled: `(name, tgenabled)`, where
    /// `tgenabled` is `O` (origin), `R` (replica) or `A` (always).
    pub fn enabled_user_triggers(&self, table: &QualifiedName) -> Result<Vec<(String, String)>> {
        let rows = self.query_text(&format!(
            "SELECT tgname, tgenabled::text FROM pg_trigger \
             WHERE tgrelid = {}::regclass AND NOT tgisinternal AND tgenabled <> 'D' ORDER BY 1",
            quote_literal(&regclass_text(table))
        ))?;
        Ok(rows
            .into_iter()
            .filter_map(|r| match <[String; 2]>::try_from(r) {
                Ok([n, e]) => Some((n, e)),
                Err(_) => None,
            })
            .collect())
    }

    /// Populated materialized views, each after the ones it reads (the order to refresh them in).
    pub fn populated_matviews(&self) -> Result<Vec<String>> {
        let views = self.query_text(
            "SELECT c.oid::text, format('%I.%I', n.nspname, c.relname) FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind = 'm' AND c.relispopulated ORDER BY 2",
        )?;
        let deps = self.query_text(
            "SELECT DISTINCT r.ev_class::text, d.refobjid::text FROM pg_rewrite r \
             JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid \
             JOIN pg_class c ON c.oid = d.refobjid AND c.relkind = 'm' \
             WHERE d.refobjid <> r.ev_class",
        )?;
        let mut order = Vec::new();
        let mut done = std::collections::BTreeSet::new();
        let mut left: Vec<(String, String)> = views
            .into_iter()
            .filter_map(|r| match <[String; 2]>::try_from(r) {
                Ok([o, n]) => Some((o, n)),
                Err(_) => None,
            })
            .collect();
        while !left.is_empty() {
            let before = left.len();
            left.retain(|(oid, name)| {
                let ready = deps
                    .iter()
                    .filter(|d| d.first() == Some(oid))
                    .all(|d| d.get(1).is_some_and(|dep| done.contains(dep)));
                if ready {
                    done.insert(oid.clone());
                    order.push(name.clone());
                }
                !ready
            });
            if left.len() == before {
                // A cycle cannot exist between materialized views; take the rest as they come.
                order.extend(left.drain(..).map(|(_, n)| n));
            }
        }
        Ok(order)
    }

    /// The parent a table inherits from or is a partition of, if any (the direct one).
    pub fn parents(&self) -> Result<BTreeMap<QualifiedName, QualifiedName>> {
        let rows = self.query_text(
            "SELECT cn.nspname, c.relname, pn.nspname, p.relname FROM pg_inherits i \
             JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace \
             JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace \
             WHERE c.relkind IN ('r','p')",
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|r| match <[String; 4]>::try_from(r) {
                Ok([cs, cn, ps, pn]) => Some((
                    QualifiedName {
                        schema: Some(cs),
                        name: cn,
                    },
                    QualifiedName {
                        schema: Some(ps),
                        name: pn,
                    },
                )),
                Err(_) => None,
            })
            .collect())
    }
}

/// `schema.table` quoted for a `::regclass` cast.
pub fn regclass_text(t: &QualifiedName) -> String {
    format!(
        "{}.{}",
        quote_ident(t.schema.as_deref().unwrap_or("public")),
        quote_ident(&t.name)
    )
}

/// A sequence and the columns it feeds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Sequence {
    /// `schema.name`, quoted for SQL.
    pub name: String,
    /// Its `last_value` (the start value when it was never called).
    pub last_value: i64,
    /// Whether `nextval` was called since the last `setval`/start.
    pub is_called: bool,
    /// Its increment.
    pub increment: i64,
    /// Columns it hands out values to: `(table as SQL, column as SQL)`.
    pub columns: Vec<(String, String)>,
}

impl Sequence {
    /// The value the next `nextval` returns.
    pub fn next_value(&self) -> i128 {
        if self.is_called {
            self.last_value as i128 + self.increment as i128
        } else {
            self.last_value as i128
        }
    }
}
