package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
)

// ErrNoPostgres means no PostgreSQL server programs were found.
var ErrNoPostgres = errors.New("no PostgreSQL server programs (initdb, pg_ctl) on PATH or in /usr/lib/postgresql/*/bin")

// Cluster is a running throwaway server.
type Cluster struct {
	dir    string // owns data/, the socket and the log
	bin    string // folder of initdb and pg_ctl
	asUser string // "postgres" when run as root, else ""
	n      atomic.Int64
}

// findBin returns the folder holding initdb and pg_ctl.
func findBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := exec.LookPath("pg_ctl"); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Sort(sort.Reverse(sort.StringSlice(dirs))) // the newest first (good enough for one-digit majors and up)
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", ErrNoPostgres
}

// Start initialises and starts a cluster in a new temporary folder.
func Start() (*Cluster, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, bin: bin}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root, initdb needs the postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		c.asUser = "postgres"
	}
	data := filepath.Join(dir, "data")
	if out, err := c.run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %w\n%s", err, out)
	}
	opts := fmt.Sprintf("-c listen_addresses='' -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", dir)
	if out, err := c.run("pg_ctl", "start", "-w", "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_ctl start: %w\n%s\n%s", err, out, log)
	}
	return c, nil
}

func (c *Cluster) run(prog string, args ...string) ([]byte, error) {
	path := filepath.Join(c.bin, prog)
	var cmd *exec.Cmd
	if c.asUser != "" {
		cmd = exec.Command("runuser", append([]string{"-u", c.asUser, "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = c.dir
	return cmd.CombinedOutput()
}

// Stop stops the server and removes its folder.
func (c *Cluster) Stop() error {
	out, err := c.run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", filepath.Join(c.dir, "data"))
	if rerr := os.RemoveAll(c.dir); err == nil {
		err = rerr
	}
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %w\n%s", err, out)
	}
	return nil
}

// URL is the address of database name as the superuser postgres.
func (c *Cluster) URL(name string) string {
	return "postgres://postgres@/" + name + "?host=" + url.QueryEscape(c.dir) + "&sslmode=disable"
}

// Dir is the cluster's folder, which holds the server's Unix socket.
func (c *Cluster) Dir() string { return c.dir }

// Exec runs SQL statements in database name as the superuser.
func (c *Cluster) Exec(ctx context.Context, name string, stmts ...string) error {
	conn, err := pgx.Connect(ctx, c.URL(name))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// NewDatabase creates an empty database and returns its URL.
func (c *Cluster) NewDatabase(ctx context.Context) (string, error) {
	name := fmt.Sprintf("test_%d", c.n.Add(1))
	if err := c.Exec(ctx, "postgres", "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	return c.URL(name), nil
}

// Shared starts one cluster for a test binary on first use; Main stops it.
// Tests call Database for a fresh database in it.
type Shared struct {
	once    sync.Once
	cluster *Cluster
	err     error
}

// Cluster returns the shared cluster, starting it on first use. Without
// PostgreSQL it skips the test, or fails it when the environment sets
// CI=true (CI installs PostgreSQL, so a missing one there is a fault).
func (s *Shared) Cluster(t testing.TB) *Cluster {
	t.Helper()
	s.once.Do(func() { s.cluster, s.err = Start() })
	need(t, s.err)
	return s.cluster
}

// need skips or fails t when the cluster could not start (err not nil): a
// missing PostgreSQL skips, except under CI=true; any other error fails.
func need(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" || !errors.Is(err, ErrNoPostgres) {
		t.Fatalf("PostgreSQL: %v", err)
	}
	t.Skipf("PostgreSQL tests skipped: %v", err)
}

// Temp starts a cluster for one test and stops it when the test ends. It
// skips or fails as Shared.Cluster does.
func Temp(t testing.TB) *Cluster {
	t.Helper()
	c, err := Start()
	need(t, err)
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Error(err)
		}
	})
	return c
}

// Database returns the URL of a new empty database in the shared cluster.
func (s *Shared) Database(t testing.TB) string {
	t.Helper()
	c := s.Cluster(t)
	dsn, err := c.NewDatabase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return dsn
}

// Stop stops the shared cluster if it was started.
func (s *Shared) Stop() {
	if s.cluster != nil {
		if err := s.cluster.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, strings.TrimSpace(err.Error()))
		}
	}
}
