//! The built server binary as an operator runs it: a process in a working
//! directory of its own, configured only by its environment (and the files the
//! configuration names), its log read from its standard output.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tempfile::TempDir;

pub struct ServerProcess {
    child: Child,
    /// `http://127.0.0.1:<port>` (`https://` with TLS), as the server announced it.
    pub address: String,
    stdout: Arc<Mutex<Vec<String>>>,
    /// What it wrote to standard error so far.
    stderr: Arc<Mutex<String>>,
    reader: Option<JoinHandle<()>>,
    /// The working directory; also `APP_DATA_DIR` unless the test set another.
    /// Kept until the [`Stopped`] that outlives the process is dropped.
    dir: Option<TempDir>,
    stopped: bool,
}

/// A process that has exited, and what it left.
pub struct Stopped {
    pub status: ExitStatus,
    /// Every line it wrote to standard output.
    pub lines: Vec<String>,
    /// The working directory: its files stay until this is dropped.
    _dir: TempDir,
}

/// A configured but not yet started server.
pub struct Launch {
    command: Command,
    pub dir: TempDir,
    /// Set by [`Launch::port`]: readiness is then its `/health`, not the log.
    port: Option<u16>,
}

impl Launch {
    /// The binary in a fresh working directory, with nothing of the test's own
    /// environment but `PATH`: every setting it has is one the test gave it.
    pub fn new() -> Launch {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut command = Command::new(env!("CARGO_BIN_EXE_jewelry-server"));
        command
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("APP_DATA_DIR", dir.path().join("data"))
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("LEPTOS_SITE_ROOT", Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        Launch { command, dir, port: None }
    }

    /// Listens on this port, and is ready once `/health` answers there (for
    /// settings that silence the line announcing the address).
    pub fn port(mut self, port: u16) -> Launch {
        self.command.env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"));
        self.port = Some(port);
        self
    }

    pub fn env(mut self, name: &str, value: impl AsRef<std::ffi::OsStr>) -> Launch {
        self.command.env(name, value);
        self
    }

    /// Leaves this variable out of the environment.
    pub fn without(mut self, name: &str) -> Launch {
        self.command.env_remove(name);
        self
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `contents` to `name` in the working directory.
    pub fn file(self, name: &str, contents: &str) -> Launch {
        std::fs::write(self.path(name), contents).expect("a file in the working directory");
        self
    }

    /// Starts the server and waits until it says where it serves.
    pub fn start(self) -> ServerProcess {
        match self.try_start() {
            Ok(server) => server,
            Err((status, output)) => panic!("the server did not start ({status:?}):\n{output}"),
        }
    }

    /// Starts the server; if it exits before serving, its exit status and everything
    /// it wrote.
    pub fn try_start(mut self) -> Result<ServerProcess, (Option<ExitStatus>, String)> {
        let mut child = self.command.spawn().expect("the server binary starts");
        let stdout_pipe = child.stdout.take().unwrap();
        let stderr_pipe = child.stderr.take().unwrap();
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let reader = {
            let stdout = stdout.clone();
            std::thread::spawn(move || {
                use std::io::BufRead;
                for line in std::io::BufReader::new(stdout_pipe).lines().map_while(Result::ok) {
                    stdout.lock().unwrap().push(line);
                }
            })
        };
        let stderr = Arc::new(Mutex::new(String::new()));
        {
            let stderr = stderr.clone();
            std::thread::spawn(move || {
                use std::io::BufRead;
                for line in std::io::BufReader::new(stderr_pipe).lines().map_while(Result::ok) {
                    let mut text = stderr.lock().unwrap();
                    text.push_str(&line);
                    text.push('\n');
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let announced = match self.port {
                Some(port) => healthy(port).then(|| format!("http://127.0.0.1:{port}")),
                None => stdout.lock().unwrap().iter().find_map(|line| {
                    let at = line.find("serving the shop at http")?;
                    let rest = &line[at + "serving the shop at ".len()..];
                    Some(rest.split(['"', ' ']).next().unwrap().to_owned())
                }),
            };
            if let Some(address) = announced {
                return Ok(ServerProcess {
                    child,
                    address,
                    stdout,
                    stderr,
                    reader: Some(reader),
                    dir: Some(self.dir),
                    stopped: false,
                });
            }
            let exited = child.try_wait().expect("the server's status");
            if exited.is_some() || Instant::now() > deadline {
                if exited.is_none() {
                    let _ = child.kill();
                }
                let status = child.wait().ok();
                let _ = reader.join();
                std::thread::sleep(Duration::from_millis(100));
                let output = format!("{}\n{}", stdout.lock().unwrap().join("\n"), stderr.lock().unwrap());
                return Err((status, output));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Stopped {
    /// The working directory the process ran in (its data directory is `data` in it).
    pub fn dir(&self) -> &Path {
        self._dir.path()
    }
}

impl ServerProcess {
    /// Ends the process with SIGKILL, as a crash or the OOM killer would.
    pub fn kill(mut self) -> Stopped {
        let _ = self.child.kill();
        self.wait_for_exit()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn dir(&self) -> &Path {
        self.dir.as_ref().expect("a running server's directory").path()
    }

    /// A new browser (its own cookies), signed in through the development provider.
    pub async fn sign_in(&self, (username, password): (&str, &str)) -> reqwest::Client {
        let client = browser();
        let form = [("username", username), ("password", password), ("return_to", "/")];
        let response = client.post(self.url("/auth/dev/login")).form(&form).send().await.expect("POST /auth/dev/login");
        assert_eq!(response.status(), 303, "{username} signs in");
        client
    }

    /// Calls a server function as `client`, as the app's forms do; answers the
    /// status and the JSON body (as [`crate::helpers::TestApp::call`] does in-process).
    pub async fn call(&self, client: &reqwest::Client, endpoint: &str, form: &[(&str, &str)]) -> (u16, Value) {
        let response = client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("Accept", "application/json")
            .form(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("/api/{endpoint}: {e}"));
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or_else(|e| panic!("/api/{endpoint} answered non-JSON: {e}")))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What it wrote to standard error so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until standard error holds what `said` looks for (its reader drains
    /// the pipe on a thread of its own, so a line written just now may not be in yet).
    pub fn wait_for_stderr(&self, what: &str, said: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !said(&self.stderr()) {
            assert!(Instant::now() < deadline, "stderr never said {what}:\n{}", self.stderr());
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// The JSON lines written to standard output so far.
    pub fn lines(&self) -> Vec<Value> {
        parse_lines(&self.stdout.lock().unwrap())
    }

    /// Waits until a line matching `wanted` is out, and answers it.
    pub fn wait_for_line(&self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(line) = self.lines().into_iter().find(&wanted) {
                return line;
            }
            assert!(Instant::now() < deadline, "no {what} line in:\n{}", self.stdout.lock().unwrap().join("\n"));
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Sends SIGTERM, as a service manager stops it, and waits for it to exit.
    pub fn stop(self) -> Stopped {
        self.terminate();
        self.wait_for_exit()
    }

    /// Sends SIGTERM, and returns at once.
    pub fn terminate(&self) {
        let status = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status().unwrap();
        assert!(status.success(), "kill -TERM");
    }

    /// Waits for the process to exit (after [`ServerProcess::terminate`]).
    pub fn wait_for_exit(mut self) -> Stopped {
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "the server did not stop within 30 s of SIGTERM");
            std::thread::sleep(Duration::from_millis(25));
        };
        self.stopped = true;
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        let lines = self.stdout.lock().unwrap().clone();
        Stopped { status, lines, _dir: self.dir.take().expect("the directory") }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if !self.stopped {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `GET /health` on the port answers 200.
fn healthy(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream.write_all(b"GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.ends_with(b" 200")
}

pub fn parse_lines(lines: &[String]) -> Vec<Value> {
    lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("a log line that is not JSON ({e}): {l}")))
        .collect()
}

/// A browser without JavaScript: keeps cookies, does not follow redirects.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(15))
        .build()
        .unwrap()
}
