//! Running a parallel load on N sessions the way `pg_restore -j` schedules a directory dump:
//! table data, largest table first; each table's index and key builds as soon as its data is in
//! (while other tables still load); partition indexes attached to their parents' once all is
//! built; foreign keys as soon as both tables they join are built (a partitioned table's once its
//! indexes are attached); then the rest of the post-data section (triggers, rules, ...) in the
//! dump's order.
//!
//! Locks decide what may run side by side. Index builds on one table take SHARE locks and run
//! together; a key constraint (`ADD CONSTRAINT ... PRIMARY KEY`) takes its table whole and runs
//! alone. So a plain primary key or unique constraint of a loaded table is built as its unique
//! index, beside the table's other index builds, and then added on that index (a moment's
//! lock); a table's index builds go first, what takes it whole after, each in the dump's order.
//! A foreign key is added `NOT VALID` and then validated: adding holds both tables for a moment,
//! validating holds the table it is declared on and lets other validations read the referenced
//! table, so the foreign keys of many tables to one `users` table are checked side by side (added
//! in one statement, as pg_restore does, they would wait for each other). Tables whose keys
//! foreign keys reference are loaded and built first. Work on a table the data does not name (a
//! partitioned parent, a materialized view) waits for all the data.
//!
//! The target is a database nobody sees until the caller renames it into place, so each
//! statement commits on its own: any failure leaves the database to be dropped.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use dump::{Piece, PostData};

use crate::engine::conn::PgConn;
use crate::engine::pg::PgAdmin;
use crate::error::{Error, Result};

/// One piece of table data to load.
pub(crate) struct DataTask<T> {
    /// The table it fills, as `QualifiedName`'s text.
    pub table: String,
    /// What the loader gets.
    pub item: T,
}

/// A post-data section split into what may run in parallel.
#[derive(Default)]
pub(crate) struct PostDataPlan {
    /// The section's leading `SET`s (and `set_config` calls), run by every session first.
    settings: Vec<String>,
    /// Index and key builds in the dump's order: table, takes the table whole, statement.
    builds: Vec<(String, bool, String)>,
    /// Foreign keys in the dump's order.
    fks: Vec<ForeignKey>,
    /// Partition indexes attached to their parents' (`ALTER INDEX ... ATTACH PARTITION`), in the
    /// dump's order.
    attaches: Vec<String>,
    /// Everything else, in the dump's order.
    rest: Vec<String>,
}

struct ForeignKey {
    table: String,
    references: Option<String>,
    sql: String,
    /// The statement as adding `NOT VALID` and validating (see
    /// [`dump::foreign_key_in_two_steps`]).
    steps: Option<(String, String)>,
}

impl ForeignKey {
    /// The tables a running one keeps others from: while validating, only the table it is
    /// declared on (SHARE UPDATE EXCLUSIVE; the referenced table gets ROW SHARE, which other
    /// validations share); added in one statement, both (SHARE ROW EXCLUSIVE throughout).
    fn holds(&self) -> Vec<String> {
        let mut held = vec![self.table.clone()];
        if self.steps.is_none() {
            held.extend(self.references.clone());
        }
        held
    }
}

impl PostDataPlan {
    /// Splits pg_dump's post-data section. `no_owner` leaves ownership statements out.
    ///
    /// # Errors
    ///
    /// The reason, when the text does not split into statements or holds a psql meta-command
    /// pg_dump does not write.
    pub(crate) fn parse(text: &[u8], no_owner: bool) -> std::result::Result<Self, String> {
        let pieces = dump::split_script(text).map_err(|e| e.to_string())?;
        let mut plan = PostDataPlan::default();
        let mut leading = true;
        // pg_dump places an index in its tablespace with `SET default_tablespace = ...` before
        // it, in the middle of the section. The sessions start with the section's leading one;
        // a build under another runs after it, and then sets the leading one again, so that
        // the session's next build, whichever it is, starts from the leading one too.
        let mut leading_tablespace = "RESET default_tablespace;".to_string();
        let mut tablespace: Option<String> = None;
        for p in pieces {
            match p {
                Piece::Meta(r) => {
                    let line = &text[r];
                    if !(line.starts_with(b"\\restrict ") || line.starts_with(b"\\unrestrict ")) {
                        return Err("a psql meta-command pg_dump does not write".into());
                    }
                }
                Piece::Statement(r) => {
                    let stmt = String::from_utf8_lossy(&text[r]).into_owned();
                    let word = stmt
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_ascii_uppercase();
                    if leading
                        && (word == "SET"
                            || stmt
                                .trim_start()
                                .starts_with("SELECT pg_catalog.set_config("))
                    {
                        if is_default_tablespace(&stmt) {
                            leading_tablespace = stmt.clone();
                        }
                        plan.settings.push(stmt);
                        continue;
                    }
                    leading = false;
                    if no_owner && dump::is_ownership(stmt.trim().as_bytes()) {
                        continue;
                    }
                    if is_default_tablespace(&stmt) {
                        tablespace = (stmt != leading_tablespace).then(|| stmt.clone());
                    }
                    let placed = |stmt: String| match &tablespace {
                        Some(set) => format!("{set}\n{stmt}\n{leading_tablespace}"),
                        None => stmt,
                    };
                    match dump::post_data_kind(stmt.as_bytes()) {
                        PostData::Index(t) => {
                            plan.builds.push((t.to_string(), false, placed(stmt)))
                        }
                        PostData::Constraint(t) => {
                            plan.builds.push((t.to_string(), true, placed(stmt)))
                        }
                        PostData::ForeignKey { table, references } => plan.fks.push(ForeignKey {
                            table: table.to_string(),
                            references: references.map(|r| r.to_string()),
                            steps: dump::foreign_key_in_two_steps(stmt.as_bytes()),
                            sql: stmt,
                        }),
                        PostData::AttachIndex => plan.attaches.push(stmt),
                        PostData::Other => plan.rest.push(stmt),
                    }
                }
            }
        }
        Ok(plan)
    }

    /// The section's leading settings, as one string of statements.
    pub(crate) fn settings(&self) -> String {
        self.settings.join(" ")
    }
}

/// Whether a statement is pg_dump's `SET default_tablespace = ...;`.
fn is_default_tablespace(stmt: &str) -> bool {
    let mut words = stmt.split_whitespace();
    words.next().is_some_and(|w| w.eq_ignore_ascii_case("set"))
        && words
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("default_tablespace"))
}

/// How a parallel load runs.
pub(crate) struct Sessions<'a> {
    /// The database loaded.
    pub conn: &'a PgConn,
    /// Sessions at once.
    pub jobs: usize,
    /// Statements every session runs first (a role, the section's settings, memory for builds).
    pub setup: String,
    /// A table's size (rows or bytes), to take the largest first.
    pub weight: &'a (dyn Fn(&str) -> u64 + Sync),
    /// What a stop leaves undone, for its message.
    pub undone: &'a str,
    /// Run for each table once its data is in and it is built (a check on the copy, such as
    /// counting its rows), on a session with nothing more urgent to do.
    pub table_done: Option<&'a TableCheck<'a>>,
}

/// A check run on one table of the copy (see [`Sessions::table_done`]).
pub(crate) type TableCheck<'a> = dyn Fn(&PgAdmin, &str) -> Result<()> + Sync + 'a;

/// Loads `data` with `load` (each task on some session, in the order given) and runs `plan`
/// around it as the module says. `after_data` runs once, on one session's thread, when all data
/// is in and before the statements left for last (sequence values, large objects). Returns the
/// sum of what `load` and `after_data` return.
pub(crate) fn run<T: Send>(
    sessions: &Sessions<'_>,
    data: Vec<DataTask<T>>,
    plan: PostDataPlan,
    load: &(dyn Fn(&PgAdmin, T) -> Result<u64> + Sync),
    after_data: &(dyn Fn() -> Result<u64> + Sync),
) -> Result<u64> {
    let PostDataPlan {
        builds,
        fks,
        attaches,
        rest,
        ..
    } = plan;
    let jobs = sessions.jobs.max(1);
    let mut state = State::new(data, builds, fks, sessions.weight);
    state.jobs = jobs;
    state.attaches = attaches;
    state.checks = sessions.table_done.is_some();
    let shared = Shared {
        state: Mutex::new(state),
        wake: Condvar::new(),
    };
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                if let Err(e) = worker(&shared, sessions, load, after_data) {
                    if let Ok(mut s) = shared.state.lock() {
                        s.failure.get_or_insert(e);
                    }
                    shared.wake.notify_all();
                }
            });
        }
    });
    let state = shared
        .state
        .into_inner()
        .map_err(|_| Error::postgres("a loading session panicked"))?;
    if let Some(e) = state.failure {
        return Err(e);
    }
    crate::error::stop_point(sessions.undone)?;
    if !rest.is_empty() {
        let session = connect(sessions)?;
        for stmt in &rest {
            crate::error::stop_point(sessions.undone)?;
            session.execute(stmt)?;
        }
    }
    Ok(state.done)
}

/// One table's builds with its plain primary keys and unique constraints split into a unique
/// index build and adding the constraint on it (see [`dump::key_constraint_in_two_steps`]):
/// every index build first (they run side by side), then what takes the table whole, each group
/// in the dump's order.
fn index_builds_first(builds: VecDeque<(bool, String)>) -> VecDeque<(bool, String)> {
    let mut shared = VecDeque::new();
    let mut whole = VecDeque::new();
    for (takes_whole, sql) in builds {
        if !takes_whole {
            shared.push_back((false, sql));
        } else if let Some((index, add)) = dump::key_constraint_in_two_steps(sql.as_bytes()) {
            shared.push_back((false, index));
            whole.push_back((true, add));
        } else {
            whole.push_back((true, sql));
        }
    }
    shared.extend(whole);
    shared
}

fn connect(sessions: &Sessions<'_>) -> Result<PgAdmin> {
    let session = PgAdmin::connect(sessions.conn)?;
    if !sessions.setup.is_empty() {
        session.execute(&sessions.setup)?;
    }
    Ok(session)
}

struct Shared<T> {
    state: Mutex<State<T>>,
    wake: Condvar,
}

/// One table's work.
#[derive(Default)]
struct Table {
    /// Data tasks not finished.
    data_left: usize,
    /// Builds not started, in the dump's order (takes the table whole, statement).
    builds: VecDeque<(bool, String)>,
    /// Index builds running.
    running_shared: usize,
    /// A key constraint running.
    running_whole: bool,
    /// Whether the data names it.
    has_data: bool,
    /// Whether its check ([`Sessions::table_done`]) was started.
    checked: bool,
    weight: u64,
}

impl Table {
    fn built(&self) -> bool {
        self.data_left == 0
            && self.builds.is_empty()
            && self.running_shared == 0
            && !self.running_whole
    }
}

enum Job<T> {
    Data(String, T),
    /// Table, takes it whole, statement, sessions idle when it started.
    Build(String, bool, String, usize),
    AfterData,
    Attach(Vec<String>),
    ForeignKey(ForeignKey),
    Check(String),
}

struct State<T> {
    data: VecDeque<DataTask<T>>,
    data_left: usize,
    tables: BTreeMap<String, Table>,
    /// Table names, largest first.
    order: Vec<String>,
    /// Foreign keys, smallest table first (taken from the end).
    fks: Vec<ForeignKey>,
    /// Tables running foreign keys hold (see [`ForeignKey::holds`]).
    fk_busy: HashSet<String>,
    after_data: Phase,
    /// Partition indexes to attach once everything is built.
    attaches: Vec<String>,
    attached: Phase,
    /// Whether each table gets a check once built.
    checks: bool,
    /// Sessions at once.
    jobs: usize,
    running: usize,
    done: u64,
    failure: Option<Error>,
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Phase {
    Pending,
    Running,
    Done,
}

impl<T> Default for State<T> {
    fn default() -> Self {
        State {
            data: VecDeque::new(),
            data_left: 0,
            tables: BTreeMap::new(),
            order: Vec::new(),
            fks: Vec::new(),
            fk_busy: HashSet::new(),
            after_data: Phase::Pending,
            attaches: Vec::new(),
            attached: Phase::Pending,
            checks: false,
            jobs: 1,
            running: 0,
            done: 0,
            failure: None,
        }
    }
}

enum Next<T> {
    Run(Job<T>),
    Wait,
    Finished,
}

impl<T> State<T> {
    fn new(
        mut data: Vec<DataTask<T>>,
        builds: Vec<(String, bool, String)>,
        mut fks: Vec<ForeignKey>,
        weight: &(dyn Fn(&str) -> u64 + Sync),
    ) -> Self {
        // Tables other tables' foreign keys reference go first (their keys are what the
        // foreign keys wait for), each group in the order given.
        let referenced: HashSet<String> = fks.iter().filter_map(|f| f.references.clone()).collect();
        data.sort_by_key(|d| !referenced.contains(&d.table));
        let mut tables: BTreeMap<String, Table> = BTreeMap::new();
        for d in &data {
            let t = tables.entry(d.table.clone()).or_default();
            t.data_left += 1;
            t.has_data = true;
        }
        for (table, whole, sql) in builds {
            tables
                .entry(table)
                .or_default()
                .builds
                .push_back((whole, sql));
        }
        for (name, t) in tables.iter_mut() {
            t.weight = weight(name);
            if t.has_data {
                t.builds = index_builds_first(std::mem::take(&mut t.builds));
            }
        }
        // A foreign key referencing a table the data does not name (a partitioned table) is
        // added in one statement: validating it afterwards would leave the copies the server
        // makes for each referenced partition marked not valid.
        for fk in &mut fks {
            let plain = fk
                .references
                .as_ref()
                .and_then(|r| tables.get(r))
                .is_some_and(|t| t.has_data);
            if !plain {
                fk.steps = None;
            }
        }
        let mut order: Vec<String> = tables.keys().cloned().collect();
        order.sort_by_key(|n| {
            (
                !referenced.contains(n),
                std::cmp::Reverse(tables.get(n).map(|t| t.weight).unwrap_or(0)),
            )
        });
        fks.sort_by_key(|f| weight(&f.table));
        State {
            data_left: data.len(),
            data: data.into(),
            tables,
            order,
            fks,
            ..State::default()
        }
    }

    fn all_built(&self) -> bool {
        self.data_left == 0 && self.tables.values().all(Table::built)
    }

    /// A table whose foreign keys may be added: built, or (unknown to the data: a partitioned
    /// table, whose keys are valid once its partitions' are attached) everything built and
    /// attached.
    fn ready(&self, name: &str) -> bool {
        match self.tables.get(name) {
            Some(t) if t.has_data => t.built(),
            _ => self.all_built() && self.attached == Phase::Done,
        }
    }

    fn next(&mut self) -> Next<T> {
        if self.failure.is_some() {
            return Next::Finished;
        }
        // Builds first: they are on the way to the foreign keys, and a big table's are the
        // longest.
        for name in &self.order {
            let Some(t) = self.tables.get_mut(name) else {
                continue;
            };
            let data_in = if t.has_data {
                t.data_left == 0
            } else {
                self.data_left == 0
            };
            if !data_in || t.running_whole {
                continue;
            }
            let Some(&(whole, _)) = t.builds.front() else {
                continue;
            };
            if whole && t.running_shared > 0 {
                continue;
            }
            let Some((whole, sql)) = t.builds.pop_front() else {
                continue;
            };
            if whole {
                t.running_whole = true;
            } else {
                t.running_shared += 1;
            }
            self.running += 1;
            let idle = self.jobs.saturating_sub(self.running);
            return Next::Run(Job::Build(name.clone(), whole, sql, idle));
        }
        if let Some(d) = self.data.pop_front() {
            self.running += 1;
            return Next::Run(Job::Data(d.table, d.item));
        }
        if self.attached == Phase::Pending && self.all_built() {
            self.attached = Phase::Running;
            self.running += 1;
            return Next::Run(Job::Attach(std::mem::take(&mut self.attaches)));
        }
        if self.data_left == 0 && self.after_data == Phase::Pending {
            self.after_data = Phase::Running;
            self.running += 1;
            return Next::Run(Job::AfterData);
        }
        let pick = (0..self.fks.len()).rev().find(|&i| {
            let fk = &self.fks[i];
            let tables_ready = self.ready(&fk.table)
                && fk.references.as_deref().is_none_or(|r| self.ready(r))
                && (fk.references.is_some() || (self.all_built() && self.attached == Phase::Done));
            // Neither table may be held by a running one (adding takes both for a moment).
            let free = match &fk.references {
                Some(r) => !self.fk_busy.contains(&fk.table) && !self.fk_busy.contains(r),
                None => self.fk_busy.is_empty(),
            };
            tables_ready && free
        });
        if let Some(i) = pick {
            let fk = self.fks.remove(i);
            self.fk_busy.extend(fk.holds());
            self.running += 1;
            return Next::Run(Job::ForeignKey(fk));
        }
        if self.checks {
            let built = self
                .order
                .iter()
                .find(|n| {
                    self.tables
                        .get(*n)
                        .is_some_and(|t| t.has_data && !t.checked && t.built())
                })
                .cloned();
            if let Some(name) = built {
                if let Some(t) = self.tables.get_mut(&name) {
                    t.checked = true;
                }
                self.running += 1;
                return Next::Run(Job::Check(name));
            }
        }
        let left = !self.fks.is_empty()
            || self.after_data != Phase::Done
            || self.attached != Phase::Done
            || (self.checks && self.tables.values().any(|t| t.has_data && !t.checked));
        if self.running == 0 && !left {
            return Next::Finished;
        }
        if self.running == 0 {
            // Nothing runs and nothing is ready: cannot happen with the rules above; run the
            // next foreign key rather than wait forever.
            if let Some(fk) = self.fks.pop() {
                self.fk_busy.extend(fk.holds());
                self.running += 1;
                return Next::Run(Job::ForeignKey(fk));
            }
        }
        Next::Wait
    }

    fn finished(&mut self, job: &JobDone) {
        self.running = self.running.saturating_sub(1);
        match job {
            JobDone::Data(table) => {
                self.data_left = self.data_left.saturating_sub(1);
                if let Some(t) = self.tables.get_mut(table) {
                    t.data_left = t.data_left.saturating_sub(1);
                }
            }
            JobDone::Build(table, whole) => {
                if let Some(t) = self.tables.get_mut(table) {
                    if *whole {
                        t.running_whole = false;
                    } else {
                        t.running_shared = t.running_shared.saturating_sub(1);
                    }
                }
            }
            JobDone::AfterData => self.after_data = Phase::Done,
            JobDone::Attach => self.attached = Phase::Done,
            JobDone::Check => {}
            JobDone::ForeignKey(held) => {
                for t in held {
                    self.fk_busy.remove(t);
                }
            }
        }
    }
}

enum JobDone {
    Data(String),
    Build(String, bool),
    AfterData,
    Attach,
    ForeignKey(Vec<String>),
    Check,
}

fn worker<T: Send>(
    shared: &Shared<T>,
    sessions: &Sessions<'_>,
    load: &(dyn Fn(&PgAdmin, T) -> Result<u64> + Sync),
    after_data: &(dyn Fn() -> Result<u64> + Sync),
) -> Result<()> {
    let session = connect(sessions)?;
    let mut helpers = BuildHelpers::of(&session)?;
    let lock = || {
        shared
            .state
            .lock()
            .map_err(|_| Error::postgres("a loading session panicked"))
    };
    loop {
        crate::error::stop_point(sessions.undone)?;
        let job = {
            let mut state = lock()?;
            loop {
                match state.next() {
                    Next::Run(job) => break job,
                    Next::Finished => return Ok(()),
                    Next::Wait => {
                        // Woken when a job ends; the timeout notices a stop.
                        state = shared
                            .wake
                            .wait_timeout(state, Duration::from_millis(100))
                            .map_err(|_| Error::postgres("a loading session panicked"))?
                            .0;
                        crate::error::stop_point(sessions.undone)?;
                    }
                }
            }
        };
        let (done, bytes) = match job {
            Job::Data(table, item) => (JobDone::Data(table), load(&session, item)?),
            Job::Build(table, whole, sql, idle) => {
                helpers.set(&session, idle)?;
                execute_retrying_deadlocks(&session, &sql)?;
                crate::testpoint::reach("load.built");
                (JobDone::Build(table, whole), 0)
            }
            Job::AfterData => (JobDone::AfterData, after_data()?),
            Job::Attach(stmts) => {
                for stmt in &stmts {
                    execute_retrying_deadlocks(&session, stmt)?;
                }
                (JobDone::Attach, 0)
            }
            Job::ForeignKey(fk) => {
                match &fk.steps {
                    Some((add, validate)) => {
                        execute_retrying_deadlocks(&session, add)?;
                        execute_retrying_deadlocks(&session, validate)?;
                    }
                    None => execute_retrying_deadlocks(&session, &fk.sql)?,
                }
                (JobDone::ForeignKey(fk.holds()), 0)
            }
            Job::Check(table) => {
                if let Some(check) = sessions.table_done {
                    check(&session, &table)?;
                }
                (JobDone::Check, 0)
            }
        };
        let mut state = lock()?;
        state.done += bytes;
        state.finished(&done);
        drop(state);
        shared.wake.notify_all();
    }
}

/// The parallel workers a session's index builds may use (`max_parallel_maintenance_workers`).
///
/// The sessions already keep the server's cores busy: a build's workers beside them only add the
/// cost of splitting and merging its sort (a tenth more server CPU for a restore with two
/// sessions). So a build gets as many workers as sessions were idle when it started (none while
/// the others load or build; the freed cores for the last big build), never more than the
/// server's own setting.
struct BuildHelpers {
    /// The server's setting for the session.
    allowed: usize,
    /// What the session has now.
    now: usize,
}

impl BuildHelpers {
    fn of(session: &PgAdmin) -> Result<Self> {
        // NULL (so 0: never set) on servers before 11, which build indexes on one process.
        let rows = session
            .query_text("SELECT current_setting('max_parallel_maintenance_workers', true)")?;
        let allowed = rows
            .first()
            .and_then(|r| r.first())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        Ok(BuildHelpers {
            allowed,
            now: allowed,
        })
    }

    fn set(&mut self, session: &PgAdmin, idle: usize) -> Result<()> {
        let want = idle.min(self.allowed);
        if want != self.now {
            session.execute(&format!("SET max_parallel_maintenance_workers = {want}"))?;
            self.now = want;
        }
        Ok(())
    }
}

/// Runs one post-data statement, again when the server chose it as a deadlock's victim: two
/// statements on sessions that lock the same tables in opposite orders can deadlock, and the
/// victim's statement was rolled back whole, so it is safe to repeat.
fn execute_retrying_deadlocks(session: &PgAdmin, stmt: &str) -> Result<()> {
    let mut tries = 0;
    loop {
        match session.execute(stmt) {
            Err(Error::Postgres {
                source: Some(se), ..
            }) if se.code.as_deref() == Some("40P01") && tries < 5 => {
                tries += 1;
                tracing::info!(
                    "a post-data statement was a deadlock's victim; running it again ({tries})"
                );
                std::thread::sleep(Duration::from_millis(50 * tries));
            }
            other => return other.map(|_| ()),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn builds_under_another_tablespace_set_it_and_set_the_leading_one_back() {
        let section = b"SET default_tablespace = '';\n\
            CREATE INDEX a ON public.t USING btree (x);\n\
            SET default_tablespace = fast;\n\
            CREATE INDEX b ON public.t USING btree (y);\n\
            ALTER TABLE ONLY public.t\n    ADD CONSTRAINT t_pkey PRIMARY KEY (id);\n\
            SET default_tablespace = '';\n\
            CREATE INDEX c ON public.t USING btree (z);\n";
        let plan = PostDataPlan::parse(section, false).expect("parse");
        let sql: Vec<&str> = plan.builds.iter().map(|(_, _, s)| s.as_str()).collect();
        assert_eq!(
            sql,
            [
                "CREATE INDEX a ON public.t USING btree (x);",
                "SET default_tablespace = fast;\nCREATE INDEX b ON public.t USING btree (y);\nSET default_tablespace = '';",
                "SET default_tablespace = fast;\nALTER TABLE ONLY public.t\n    ADD CONSTRAINT t_pkey PRIMARY KEY (id);\nSET default_tablespace = '';",
                "CREATE INDEX c ON public.t USING btree (z);",
            ]
        );
        assert_eq!(plan.settings(), "SET default_tablespace = '';");
    }

    /// What `next` hands out, as text: `data T`, `build T idle N`, or `wait`.
    fn take(state: &mut State<()>) -> String {
        match state.next() {
            Next::Run(Job::Data(t, ())) => format!("data {t}"),
            Next::Run(Job::Build(t, _, _, idle)) => format!("build {t} idle {idle}"),
            Next::Run(_) => "other".into(),
            Next::Wait => "wait".into(),
            Next::Finished => "finished".into(),
        }
    }

    #[test]
    fn an_index_build_gets_the_sessions_idle_when_it_starts() {
        let data = ["public.big", "public.small"]
            .map(|t| DataTask {
                table: t.to_string(),
                item: (),
            })
            .into();
        let builds = ["public.big", "public.small"]
            .map(|t| (t.to_string(), false, format!("CREATE INDEX ON {t} (x);")))
            .into();
        let weight = |t: &str| if t == "public.big" { 10 } else { 1 };
        let mut state = State::new(data, builds, Vec::new(), &weight);
        state.jobs = 2;
        assert_eq!(take(&mut state), "data public.big");
        assert_eq!(take(&mut state), "data public.small");
        // One session still loads: the build runs without workers beside it.
        state.finished(&JobDone::Data("public.small".into()));
        assert_eq!(take(&mut state), "build public.small idle 0");
        // The other session is done and nothing else is ready: the last build gets its core.
        state.finished(&JobDone::Data("public.big".into()));
        state.finished(&JobDone::Build("public.small".into(), false));
        assert_eq!(take(&mut state), "build public.big idle 1");
    }
}
