#!/usr/bin/env python3
"""Builds examples/timetracking.db: a small SQLite database shaped like the blue/green
TimeTracking app of the operations guides (users, time entries, a migrations table)."""
import os, random, sqlite3, sys

path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "examples", "timetracking.db")
if os.path.exists(path):
    os.remove(path)
db = sqlite3.connect(path)
db.executescript("""
CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL);
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, role TEXT NOT NULL DEFAULT 'member');
CREATE TABLE projects (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE time_entries (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),
  project_id INTEGER NOT NULL REFERENCES projects(id), day TEXT NOT NULL, minutes INTEGER NOT NULL, note TEXT);
CREATE INDEX idx_entries_user_day ON time_entries(user_id, day);
""")
rng = random.Random(7)
db.executemany("INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
               [("001_init", "2026-01-10T09:00:00Z"), ("002_projects", "2026-02-01T09:00:00Z"), ("003_notes", "2026-02-07T09:00:00Z")])
db.executemany("INSERT INTO users (id, email, name) VALUES (?, ?, ?)",
               [(i, f"person{i}@example.com", f"Person {i}") for i in range(1, 41)])
db.executemany("INSERT INTO projects (id, name) VALUES (?, ?)", [(i, f"Project {i}") for i in range(1, 9)])
db.executemany("INSERT INTO time_entries (user_id, project_id, day, minutes, note) VALUES (?, ?, ?, ?, ?)",
               [(rng.randint(1, 40), rng.randint(1, 8), f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
                 rng.choice([15, 30, 45, 60, 90, 120, 240, 480]), rng.choice([None, "review", "meeting", "deploy"]))
                for _ in range(3000)])
db.commit()
db.execute("VACUUM")
db.close()
print(path)
