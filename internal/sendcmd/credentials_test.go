package sendcmd

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/crosswire/crosswire/producer/fakeaws"
)

// TestHelperProcess is not a test: run as a child process by runProcess, it runs the
// command as its main does, with the arguments in CROSSWIRE_SEND_ARGS.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("CROSSWIRE_SEND_AS_PROCESS") != "1" {
		t.Skip("the command run as a child process of other tests")
	}
	var args []string
	if err := json.Unmarshal([]byte(os.Getenv("CROSSWIRE_SEND_ARGS")), &args); err != nil {
		t.Fatal(err)
	}
	os.Exit(run(context.Background(), args, os.Stdout, os.Stderr, defaultEnv()))
}

// runProcess runs the command in a child process, as a user runs it, on topologyYAML:
// with home as HOME, none of the AWS_* variables of the test's environment, env added,
// and the AWS SDK's own configuration loading. The SDK reads the home directory when
// the program starts, so this cannot run in the test's process.
func runProcess(t *testing.T, home string, env []string, args ...string) result {
	t.Helper()
	path := filepath.Join(t.TempDir(), "topology.yaml")
	if err := os.WriteFile(path, []byte(topologyYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(append([]string{"-topology", path}, args...))
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "HOME=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "HOME="+home, "CROSSWIRE_SEND_AS_PROCESS=1", "CROSSWIRE_SEND_ARGS="+string(raw))
	cmd.Env = append(cmd.Env, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if _, exited := err.(*exec.ExitError); err != nil && !exited {
		t.Fatal(err)
	}
	r := result{code: cmd.ProcessState.ExitCode(), stdout: strings.ReplaceAll(out.String(), path, "topology.yaml"), stderr: strings.ReplaceAll(errOut.String(), path, "topology.yaml")}
	assertNoKeyMaterial(t, r)
	return r
}

// writeFile writes text to the file at path under dir, making its folders.
func writeFile(t *testing.T, dir, path, text string) {
	t.Helper()
	path = filepath.Join(dir, path)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// lookedIn is the report of a run that found no credentials, up to the EC2 instance
// role's line, with an empty home directory and no AWS_* variables.
const lookedIn = "crosswire send: no AWS credentials found; looked in:\n" +
	"  - environment variables: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set\n" +
	"  - shared config file ~/.aws/config: does not exist\n" +
	"  - shared credentials file ~/.aws/credentials: does not exist\n" +
	"  - profile \"default\" (neither -profile nor AWS_PROFILE names one): in neither file\n" +
	"  - SSO: no such profile, so no sso_session or sso_start_url\n" +
	"  - web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set\n" +
	"  - container role (ECS, EKS): AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set\n"

const giveCredentials = "give credentials with -profile <name> or AWS_PROFILE=<name> (after `aws sso login --profile <name>` for SSO), " +
	"or with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN\n"

func TestNoCredentialsSaysWhereItLooked(t *testing.T) {
	for _, args := range [][]string{nil, {"-as-account", "orders"}} {
		t.Run(strings.Join(append([]string{"args"}, args...), " "), func(t *testing.T) {
			// GIVEN a machine without AWS credentials: an empty home directory, no AWS_*
			// variables, and instance metadata turned off
			home := t.TempDir()

			// WHEN the smoke test runs, with or without -as-account
			r := runProcess(t, home, []string{"AWS_EC2_METADATA_DISABLED=true"}, args...)

			// THEN it says that there are no credentials and everywhere it looked, and
			// exits with 2: nothing could be checked
			want := lookedIn + "  - EC2 instance role: instance metadata is turned off (AWS_EC2_METADATA_DISABLED=true)\n" + giveCredentials
			if r.code != 2 || r.stdout != "" || r.stderr != want {
				t.Errorf("exit code %d, stdout %q, stderr:\n%s\nwant exit code 2 and stderr:\n%s", r.code, r.stdout, r.stderr, want)
			}
		})
	}
}

func TestNoCredentialsOffEC2IsQuiet(t *testing.T) {
	// GIVEN no credentials, and instance metadata on loopback that refuses tokens and
	// knows no role, as what answers at 169.254.169.254 off EC2 may (the SDK then
	// warns "falling back to IMDSv1")
	var asked atomic.Int32
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		if r.Method == http.MethodPut {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		http.NotFound(w, r)
	}))
	defer imds.Close()

	// WHEN the smoke test runs as the advice says, with -as-account
	r := runProcess(t, t.TempDir(), []string{"AWS_EC2_METADATA_SERVICE_ENDPOINT=" + imds.URL}, "-as-account", "orders")

	// THEN it asked instance metadata, printed none of the SDK's warnings, said that
	// there are no credentials and exited with 2, without trying a single link
	want := lookedIn + "  - EC2 instance role: instance metadata at " + imds.URL + " gave no credentials (HTTP status 404): not on EC2, or the instance has no role\n" + giveCredentials
	if r.code != 2 || r.stdout != "" || r.stderr != want {
		t.Errorf("exit code %d, stdout %q, stderr:\n%s\nwant exit code 2 and stderr:\n%s", r.code, r.stdout, r.stderr, want)
	}
	if asked.Load() == 0 {
		t.Error("instance metadata was not asked")
	}
}

func TestUnknownProfileIsNamed(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		env   []string
		args  []string
		want  string
	}{
		{name: "-profile, no files", args: []string{"-profile", "nosuch"},
			want: `crosswire send: loading AWS credentials: profile "nosuch" is not in ~/.aws/config or ~/.aws/credentials (neither file exists)`},
		{name: "AWS_PROFILE, no files", env: []string{"AWS_PROFILE=nosuch"},
			want: `crosswire send: loading AWS credentials: profile "nosuch" is not in ~/.aws/config or ~/.aws/credentials (neither file exists)`},
		{name: "-profile, other profiles", args: []string{"-profile", "nosuch", "-as-account", "orders"},
			files: map[string]string{
				".aws/config":      "[default]\nregion = eu-west-1\n[profile orders]\nregion = eu-west-1\n[sso-session corp]\nsso_region = eu-west-1\n",
				".aws/credentials": "[billing]\naws_access_key_id = " + ownKey + "\naws_secret_access_key = " + ownSecret + "\n",
			},
			want: `crosswire send: loading AWS credentials: profile "nosuch" is not in ~/.aws/config or ~/.aws/credentials; profiles there: billing, default, orders`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// GIVEN a home directory with these AWS files, or none
			home := t.TempDir()
			for path, text := range c.files {
				writeFile(t, home, path, text)
			}
			// WHEN the smoke test runs with a profile that is in neither file
			r := runProcess(t, home, append(c.env, "AWS_EC2_METADATA_DISABLED=true"), c.args...)
			// THEN it names the profile as unknown, and the profiles there are, and exits
			// with 2
			if r.code != 2 || r.stdout != "" || r.stderr != c.want+"\n" {
				t.Errorf("exit code %d, stdout %q, stderr:\n%s\nwant exit code 2 and stderr:\n%s", r.code, r.stdout, r.stderr, c.want)
			}
		})
	}
}

func TestProfileWithoutCredentials(t *testing.T) {
	// GIVEN a profile orders that sets only the region
	home := t.TempDir()
	writeFile(t, home, ".aws/config", "[profile orders]\nregion = eu-west-1\n")

	// WHEN the smoke test runs with it
	r := runProcess(t, home, []string{"AWS_EC2_METADATA_DISABLED=true"}, "-profile", "orders")

	// THEN it says that the profile is there but holds no credentials, and exits with 2
	for _, want := range []string{
		"crosswire send: no AWS credentials found; looked in:\n",
		"  - shared config file ~/.aws/config: exists\n",
		"  - profile \"orders\" (-profile): there, but with no keys, role to assume, credential process or SSO settings\n",
		"  - SSO: profile \"orders\" has no sso_session or sso_start_url\n",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.code != 2 {
		t.Errorf("exit code %d, want 2", r.code)
	}
}

func TestProfileFromTheCredentialsFile(t *testing.T) {
	// GIVEN orders' keys in the credentials file of the home directory, and the fake
	// SQS on loopback
	home := t.TempDir()
	writeFile(t, home, ".aws/credentials", "[orders]\naws_access_key_id = "+ownKey+"\naws_secret_access_key = "+ownSecret+"\n")
	f := &fakeaws.Fake{}
	srv := httptest.NewServer(f)
	defer srv.Close()

	// WHEN the smoke test runs with that profile
	r := runProcess(t, home, []string{"AWS_EC2_METADATA_DISABLED=true"}, "-profile", "orders", "-as-account", "orders", "-link", "invoices", "-endpoint", srv.URL)

	// THEN it found the credentials and delivered the message
	if r.code != 0 || f.Count(fakeaws.SendMessage) != 1 {
		t.Errorf("exit code %d, %d sends\n%s%s", r.code, f.Count(fakeaws.SendMessage), r.stdout, r.stderr)
	}
}
