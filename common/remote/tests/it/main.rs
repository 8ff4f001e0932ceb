//! Integration tests of the remote crate against real s3s-fs servers (no mocks).

// Helpers of the tests, like the tests themselves, may unwrap: a failed expectation is the test
// failing, with its message (clippy.toml allows it inside #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod server;
mod store;
mod tls;
mod upload;

/// A fast deterministic byte generator (xorshift64*), for objects of any size.
pub(crate) struct Gen(u64);

impl Gen {
    pub(crate) fn new(seed: u64) -> Gen {
        Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub(crate) fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            let v = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

/// Runs one `#[ignore]`d test of this binary in a child process with extra variables; returns
/// its combined output after checking it passed.
pub(crate) fn run_child(test: &str, vars: &[(&str, String)]) -> String {
    let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        test,
        "--ignored",
        "--nocapture",
        "--test-threads",
        "1",
    ])
    .env("REMOTE_TEST_CHILD", "1");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let output = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success() && text.contains("1 passed"),
        "child {test} failed:\n{text}"
    );
    text
}

/// Child tests refuse to run on their own (they expect their parent's set-up).
pub(crate) fn assert_child() {
    assert_eq!(
        std::env::var("REMOTE_TEST_CHILD").as_deref(),
        Ok("1"),
        "run by its parent test only"
    );
}
