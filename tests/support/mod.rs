//! Harness for end-to-end tests through the real WebView (WebKitWebDriver via tauri-driver).
//!
//! Each [`AppSession`] gets its own X display (unless `DISPLAY` is set), its own
//! `tauri-driver` on free ports in its own process group, and the app binary built by
//! cargo for this test, launched with the environment the test chooses. Every WebDriver
//! step runs under a timeout, and dropping the session ends every process it started:
//! SIGTERM to each process group, SIGKILL five seconds later.

use std::ffi::OsString;
use std::fs::File;
use std::future::Future;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

/// The app under test, as built by cargo for this test target.
pub const APP_BINARY: &str = env!("CARGO_BIN_EXE_receipt-vault");

/// The binary sessions launch: `RECEIPT_VAULT_E2E_APP` (e.g. a release build, for speed
/// measurements), else [`APP_BINARY`].
pub fn app_binary() -> PathBuf {
    std::env::var_os("RECEIPT_VAULT_E2E_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(APP_BINARY))
}

/// Bound for one WebDriver call or one wait.
pub const STEP: Duration = Duration::from_secs(30);
/// Bound for starting the driver and the first session (WebKit's first start is slow).
const START: Duration = Duration::from_secs(60);

/// Only one app window at a time: two WebKit processes on a 2-core CI runner make each
/// other time out, and a shared `DISPLAY` would put both windows in one screenshot.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Run `fut` under [`STEP`]; a wedged call fails the test instead of hanging CI.
pub async fn step<T, E: std::fmt::Debug>(what: &str, fut: impl Future<Output = Result<T, E>>) -> T {
    match tokio::time::timeout(STEP, fut).await {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => panic!("{what}: {e:?}"),
        Err(_) => panic!("{what}: no answer within {STEP:?}"),
    }
}

/// `true` when the external tools are here. Without them: fail under CI, else skip loudly.
pub fn tools_available() -> bool {
    let missing: Vec<&str> = ["tauri-driver", "WebKitWebDriver", "Xvfb", "import"]
        .into_iter()
        .filter(|t| find_tool(t).is_none())
        .filter(|t| *t != "Xvfb" || std::env::var_os("DISPLAY").is_none())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let msg = format!(
        "end-to-end tests need {} (run scripts/setup.sh)",
        missing.join(", ")
    );
    if std::env::var_os("CI").is_some() {
        panic!("{msg}; CI is set, so this is a failure");
    }
    // Straight to stderr: the test harness would swallow eprintln! of a passing test.
    let _ = writeln!(std::io::stderr(), "\n!!!!! SKIPPED: {msg} !!!!!\n");
    false
}

/// `name` on PATH, or in cargo's bin folder (where `cargo install` puts tauri-driver).
fn find_tool(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

/// A child process leading its own process group; dropping it ends the whole group.
struct Group {
    name: &'static str,
    child: Child,
    log: Option<PathBuf>,
}

impl Group {
    fn spawn(name: &'static str, cmd: &mut Command, log: Option<PathBuf>) -> Group {
        let child = cmd
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        Group { name, child, log }
    }

    fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    fn log_tail(&self) -> String {
        let Some(log) = &self.log else {
            return String::new();
        };
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    fn signal(&self, sig: libc::c_int) {
        let pgid = self.child.id() as libc::pid_t;
        // SAFETY: kill(2) with a negative pid signals the process group we created.
        unsafe {
            libc::kill(-pgid, sig);
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if std::thread::panicking() && self.log.is_some() {
            eprintln!(
                "--- last lines of the {} log ---\n{}",
                self.name,
                self.log_tail()
            );
        }
        self.signal(libc::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.exited().is_some() {
                // The leader is gone; make sure nothing it started lingers.
                self.signal(libc::SIGKILL);
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.signal(libc::SIGKILL);
        let _ = self.child.wait();
    }
}

/// An X display: the caller's `DISPLAY`, else a private Xvfb.
pub struct Display {
    pub name: String,
    _xvfb: Option<Group>,
}

impl Display {
    fn get() -> Display {
        if let Some(d) = std::env::var("DISPLAY").ok().filter(|d| !d.is_empty()) {
            return Display {
                name: d,
                _xvfb: None,
            };
        }
        let mut xvfb = Group::spawn(
            "Xvfb",
            Command::new("Xvfb")
                .args([
                    "-displayfd",
                    "1",
                    "-screen",
                    "0",
                    "1280x800x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
            None,
        );
        let stdout = xvfb.child.stdout.take().expect("Xvfb stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let number = rx
            .recv_timeout(Duration::from_secs(15))
            .map(|l| l.trim().to_string())
            .unwrap_or_default();
        assert!(
            !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()),
            "Xvfb did not report a display number (got {number:?})"
        );
        Display {
            name: format!(":{number}"),
            _xvfb: Some(xvfb),
        }
    }

    /// An X-level screenshot of the whole screen (WebDriver screenshots are unreliable).
    pub fn screenshot(&self, path: &Path) {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("screenshot folder");
        }
        // No date chunks and no metadata: the same picture gives the same bytes.
        let status = Command::new("import")
            .args(["-window", "root", "-display", &self.name])
            .args(["-strip", "-define", "png:exclude-chunks=date,time"])
            .arg(path)
            .status()
            .expect("run ImageMagick import");
        assert!(status.success(), "import failed: {status}");
    }
}

/// Distinct colours in a sample of the picture's pixels (capped): a window WebKit has not
/// painted yet has two or three, a rendered page has many.
fn distinct_colors(png: &[u8]) -> usize {
    let Ok(img) = image::load_from_memory_with_format(png, image::ImageFormat::Png) else {
        return 0;
    };
    let mut seen = std::collections::HashSet::new();
    for p in img.to_rgb8().pixels().step_by(7) {
        seen.insert(p.0);
        if seen.len() > 256 {
            break;
        }
    }
    seen.len()
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn wait_for_port(driver: &mut Group, port: u16, deadline: Instant) {
    while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
        if let Some(status) = driver.exited() {
            panic!(
                "tauri-driver exited ({status}) before port {port} opened:\n{}",
                driver.log_tail()
            );
        }
        assert!(
            Instant::now() < deadline,
            "port {port} not open after {START:?}:\n{}",
            driver.log_tail()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One running app under WebDriver. Drop order: client, driver (and the app), display.
pub struct AppSession {
    pub client: Client,
    /// Held for its `Drop`: ends tauri-driver, WebKitWebDriver and the app.
    _driver: Group,
    pub display: Display,
    _logs: tempfile::TempDir,
    _serial: tokio::sync::MutexGuard<'static, ()>,
}

impl AppSession {
    /// Start the app with `env` added to its environment; `None` when the tools are
    /// missing and the test should be skipped.
    pub async fn launch(env: &[(&str, OsString)]) -> Option<AppSession> {
        if !tools_available() {
            return None;
        }
        let serial = ONE_AT_A_TIME.lock().await;
        let display = Display::get();
        let logs = tempfile::tempdir().expect("log folder");
        let log = logs.path().join("tauri-driver.log");
        let log_file = File::create(&log).expect("driver log");

        let tauri_driver = find_tool("tauri-driver").expect("tauri-driver");
        let (port, native_port) = (free_port(), free_port());
        let mut cmd = Command::new(tauri_driver);
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .env("DISPLAY", &display.name)
        .env_remove("RECEIPT_VAULT_DIR")
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().expect("log handle"))
        .stderr(log_file);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut driver = Group::spawn("tauri-driver", &mut cmd, Some(log));

        // A session opened before WebKitWebDriver listens fails with IncompleteMessage.
        let deadline = Instant::now() + START;
        wait_for_port(&mut driver, port, deadline);
        wait_for_port(&mut driver, native_port, deadline);

        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            json!({ "application": app_binary() }),
        );
        let mut builder =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(caps);
        let url = format!("http://127.0.0.1:{port}");
        let client = match tokio::time::timeout(START, builder.connect(&url)).await {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => panic!("new WebDriver session: {e:?}\n{}", driver.log_tail()),
            Err(_) => panic!("new WebDriver session: no answer within {START:?}"),
        };
        Some(AppSession {
            client,
            _driver: driver,
            display,
            _logs: logs,
            _serial: serial,
        })
    }

    /// Evaluate `js` (a function body; use `return`) in the page.
    pub async fn eval(&self, js: &str) -> Value {
        step("execute script", self.client.execute(js, vec![])).await
    }

    /// The element with this `data-testid`, waiting for it to appear.
    pub async fn by_testid(&self, testid: &str) -> fantoccini::elements::Element {
        step(
            &format!("find [data-testid={testid:?}]"),
            self.client
                .wait()
                .at_most(STEP)
                .for_element(fantoccini::Locator::Css(&format!(
                    r#"[data-testid="{testid}"]"#
                ))),
        )
        .await
    }

    /// Poll `js` until it returns something truthy; returns that value.
    pub async fn wait_for(&self, what: &str, js: &str) -> Value {
        let deadline = Instant::now() + STEP;
        loop {
            let v = self.eval(js).await;
            let truthy =
                !matches!(&v, Value::Null | Value::Bool(false)) && v != json!(0) && v != json!("");
            if truthy {
                return v;
            }
            if Instant::now() > deadline {
                let body = self
                    .eval("return document.body ? document.body.innerText : '(no body)'")
                    .await;
                panic!("timed out waiting for {what}; the page shows:\n{body}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Screenshot to `target/e2e-screenshots/<name>.png`, and to `docs/screenshots/` as
    /// well when `UPDATE_SCREENSHOTS` is set (so plain test runs leave the tree clean).
    ///
    /// WebKit paints some time after the DOM changes (seconds on a busy machine), so
    /// shots are taken until three in a row are identical and show more than a blank
    /// window (the very first start can take seconds while fontconfig builds its cache).
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out = root
            .join("target/e2e-screenshots")
            .join(format!("{name}.png"));
        // A blinking text cursor would keep the screen from ever settling.
        self.eval(
            r#"if (!document.getElementById("e2e-no-caret")) {
                const s = document.createElement("style");
                s.id = "e2e-no-caret";
                s.textContent = "* { caret-color: transparent !important; }";
                document.head.appendChild(s);
            }"#,
        )
        .await;
        let deadline = Instant::now() + STEP;
        let (mut last, mut same) = (Vec::new(), 0);
        loop {
            tokio::time::sleep(Duration::from_millis(400)).await;
            self.display.screenshot(&out);
            let now = std::fs::read(&out).expect("read screenshot");
            same = if now == last { same + 1 } else { 0 };
            let painted = distinct_colors(&now) > 32;
            if same >= 2 && painted {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the screen did not settle on a painted window within {STEP:?} (blank: {}); see {}",
                !painted,
                out.display()
            );
            last = now;
        }
        if std::env::var_os("UPDATE_SCREENSHOTS").is_some() {
            let docs = root.join("docs/screenshots").join(format!("{name}.png"));
            std::fs::create_dir_all(docs.parent().expect("docs folder")).expect("docs folder");
            std::fs::copy(&out, &docs).expect("copy screenshot to docs");
        }
        out
    }

    /// End the WebDriver session (which closes the app), then everything else.
    pub async fn close(self) {
        let _ = tokio::time::timeout(STEP, self.client.clone().close()).await;
        drop(self);
    }
}

/// Unzip the bundle `zip` into `into` and run `sha256sum -c SHA256SUMS` there, as the
/// person who receives it would; the number of lines that say OK.
pub fn unzip_and_check(zip: &Path, into: &Path) -> usize {
    let unzip = Command::new("unzip")
        .arg("-q")
        .arg(zip)
        .arg("-d")
        .arg(into)
        .status()
        .expect("run unzip");
    assert!(unzip.success(), "unzip {}", zip.display());
    let check = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(into)
        .output()
        .expect("run sha256sum");
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "sha256sum -c: {out}");
    out.matches(": OK").count()
}

/// Run `xdotool ARGS` on `display`; its standard output.
pub fn xdotool(display: &str, args: &[&str]) -> String {
    let out = Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .output()
        .unwrap_or_else(|e| panic!("run xdotool {args:?}: {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Wait until a window titled `title` is mapped; its X id.
pub async fn dialog_window(display: &str, title: &str) -> String {
    let deadline = Instant::now() + STEP;
    loop {
        let ids = xdotool(display, &["search", "--onlyvisible", "--name", title]);
        if let Some(id) = ids.lines().next().filter(|l| !l.trim().is_empty()) {
            return id.trim().to_string();
        }
        assert!(
            Instant::now() < deadline,
            "no dialog window titled {title:?} appeared within {STEP:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Until the dialog titled `title` is gone.
pub async fn dialog_closed(display: &str, title: &str) {
    let deadline = Instant::now() + STEP;
    while !xdotool(display, &["search", "--onlyvisible", "--name", title])
        .trim()
        .is_empty()
    {
        assert!(
            Instant::now() < deadline,
            "the dialog {title:?} is still open"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
