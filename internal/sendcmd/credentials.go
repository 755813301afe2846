package sendcmd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/smithy-go/logging"
)

// imdsTimeout bounds the look for an EC2 instance role: on EC2 the instance metadata
// answers in milliseconds, and elsewhere nothing answers at all.
const imdsTimeout = 2 * time.Second

// loadAWSConfig loads the AWS configuration for region as the AWS CLI does, from the
// named profile when profile is not "". An unknown profile is named as such. When the
// default chain finds no credentials before the EC2 instance role, that role is asked
// of an instance metadata client that logs nothing: off EC2 the SDK's own client
// prints a warning that only says that instance metadata did not answer.
func loadAWSConfig(ctx context.Context, region, profile string) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{config.WithRegion(region)}
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	var missing config.SharedConfigProfileNotExistError
	if errors.As(err, &missing) {
		return cfg, unknownProfile(missing.Profile, sharedFiles())
	}
	if err != nil {
		return cfg, err
	}
	if fromInstanceRole(cfg) {
		var sources []aws.CredentialSource
		if s, ok := cfg.Credentials.(aws.CredentialProviderSource); ok {
			sources = s.ProviderSources()
		}
		client := imds.NewFromConfig(cfg, func(o *imds.Options) { o.Logger = logging.Nop{} })
		cfg.Credentials = aws.NewCredentialsCache(ec2rolecreds.New(func(o *ec2rolecreds.Options) {
			o.Client = client
			o.CredentialSources = sources
		}))
	}
	return cfg, nil
}

// fromInstanceRole reports whether cfg's credentials are the EC2 instance role's, the
// last place the default chain looks.
func fromInstanceRole(cfg aws.Config) bool {
	return cfg.Credentials != nil && aws.IsCredentialsProvider(cfg.Credentials, (*ec2rolecreds.Provider)(nil))
}

// checkCredentials gets cfg's credentials once, so that a run without any stops before
// the first link with where they were looked for, rather than failing every link.
// profile is the -profile flag.
func checkCredentials(ctx context.Context, cfg aws.Config, profile string, timeout time.Duration) error {
	if cfg.Credentials == nil {
		return errors.New("no AWS credentials are configured")
	}
	instanceRole := fromInstanceRole(cfg)
	if instanceRole {
		timeout = min(timeout, imdsTimeout)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	_, err := cfg.Credentials.Retrieve(ctx)
	switch {
	case err == nil:
		return nil
	case instanceRole:
		return noCredentials(profile, err, timeout)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("cannot get the AWS credentials of profile %q: no answer in time (-timeout %s)", profileName(profile), timeout)
	}
	return fmt.Errorf("cannot get the AWS credentials of profile %q: %v", profileName(profile), err)
}

// files are the shared config and credentials files the SDK reads.
type files struct{ config, credentials string }

func sharedFiles() files {
	f := files{config: os.Getenv("AWS_CONFIG_FILE"), credentials: os.Getenv("AWS_SHARED_CREDENTIALS_FILE")}
	if f.config == "" {
		f.config = config.DefaultSharedConfigFilename()
	}
	if f.credentials == "" {
		f.credentials = config.DefaultSharedCredentialsFilename()
	}
	return f
}

// unknownProfile says that profile is in neither file, and which profiles are.
func unknownProfile(profile string, f files) error {
	msg := fmt.Sprintf("profile %q is not in %s or %s", profile, tilde(f.config), tilde(f.credentials))
	profiles, found := profilesIn(f)
	switch {
	case found == 0:
		msg += " (neither file exists)"
	case len(profiles) == 0:
		msg += " (they define no profile)"
	default:
		msg += "; profiles there: " + strings.Join(profiles, ", ")
	}
	return errors.New(msg)
}

// profileName is the profile the SDK reads: the -profile flag's, AWS_PROFILE's (or
// AWS_DEFAULT_PROFILE's), or default.
func profileName(flag string) string {
	for _, p := range []string{flag, os.Getenv("AWS_PROFILE"), os.Getenv("AWS_DEFAULT_PROFILE")} {
		if p != "" {
			return p
		}
	}
	return "default"
}

// noCredentials says that the default chain found no credentials, and where it looked.
// imdsErr is the EC2 instance role's failure, the last place looked.
func noCredentials(profile string, imdsErr error, timeout time.Duration) error {
	var b strings.Builder
	b.WriteString("no AWS credentials found; looked in:")
	item := func(format string, a ...any) { b.WriteString("\n  - " + fmt.Sprintf(format, a...)) }

	set := func(name string) bool { return os.Getenv(name) != "" }
	// A -profile takes precedence over the environment's keys and web identity.
	switch key, secret := set("AWS_ACCESS_KEY_ID") || set("AWS_ACCESS_KEY"), set("AWS_SECRET_ACCESS_KEY") || set("AWS_SECRET_KEY"); {
	case key && secret:
		item("environment variables: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set, but -profile takes precedence")
	case key:
		item("environment variables: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
	case secret:
		item("environment variables: AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
	default:
		item("environment variables: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
	}

	f := sharedFiles()
	for _, file := range []struct{ what, path, env string }{
		{"shared config file", f.config, "AWS_CONFIG_FILE"},
		{"shared credentials file", f.credentials, "AWS_SHARED_CREDENTIALS_FILE"},
	} {
		state := "exists"
		if _, err := os.Stat(file.path); err != nil {
			state = "does not exist"
		}
		from := ""
		if os.Getenv(file.env) != "" {
			from = " (" + file.env + ")"
		}
		item("%s %s%s: %s", file.what, tilde(file.path), from, state)
	}

	name := profileName(profile)
	why := "neither -profile nor AWS_PROFILE names one"
	switch {
	case profile != "":
		why = "-profile"
	case os.Getenv("AWS_PROFILE") != "":
		why = "AWS_PROFILE"
	case os.Getenv("AWS_DEFAULT_PROFILE") != "":
		why = "AWS_DEFAULT_PROFILE"
	}
	if profiles, _ := profilesIn(f); slices.Contains(profiles, name) {
		item("profile %q (%s): there, but with no keys, role to assume, credential process or SSO settings", name, why)
		item("SSO: profile %q has no sso_session or sso_start_url", name)
	} else {
		item("profile %q (%s): in neither file", name, why)
		item("SSO: no such profile, so no sso_session or sso_start_url")
	}
	if set("AWS_WEB_IDENTITY_TOKEN_FILE") {
		item("web identity: AWS_WEB_IDENTITY_TOKEN_FILE is set, but -profile takes precedence")
	} else {
		item("web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set")
	}
	item("container role (ECS, EKS): AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set")
	item("EC2 instance role: %s", instanceRoleFailure(imdsErr, timeout))

	b.WriteString("\ngive credentials with -profile <name> or AWS_PROFILE=<name> (after `aws sso login --profile <name>` for SSO), " +
		"or with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN")
	return errors.New(b.String())
}

// instanceRoleFailure says why the EC2 instance role gave no credentials.
func instanceRoleFailure(err error, timeout time.Duration) string {
	endpoint := os.Getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT")
	if endpoint == "" {
		endpoint = "http://169.254.169.254"
	}
	switch {
	case strings.EqualFold(os.Getenv("AWS_EC2_METADATA_DISABLED"), "true"):
		return "instance metadata is turned off (AWS_EC2_METADATA_DISABLED=true)"
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("no answer from instance metadata at %s within %s: not on EC2, or instance metadata is blocked", endpoint, timeout)
	}
	return fmt.Sprintf("instance metadata at %s gave no credentials (%s): not on EC2, or the instance has no role", endpoint, cause(err))
}

// cause says briefly why a request to instance metadata failed: the HTTP status or
// the network error.
func cause(err error) string {
	var status interface{ HTTPStatusCode() int }
	var netErr *net.OpError
	switch {
	case errors.As(err, &status):
		return fmt.Sprintf("HTTP status %d", status.HTTPStatusCode())
	case errors.As(err, &netErr):
		return netErr.Err.Error()
	}
	return err.Error()
}

// profilesIn lists the profiles that the shared config and credentials files define,
// sorted, and how many of the two files exist.
func profilesIn(f files) ([]string, int) {
	var out []string
	found := 0
	for _, file := range []struct {
		path   string
		config bool
	}{{f.config, true}, {f.credentials, false}} {
		h, err := os.Open(file.path)
		if err != nil {
			continue
		}
		found++
		sc := bufio.NewScanner(h)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if !strings.HasPrefix(line, "[") || !strings.HasSuffix(line, "]") {
				continue
			}
			name := strings.TrimSpace(line[1 : len(line)-1])
			if file.config {
				// The config file names profiles [profile name], except [default]; its
				// other sections ([sso-session x], [services x]) are no profiles.
				if p, ok := strings.CutPrefix(name, "profile "); ok {
					name = strings.TrimSpace(p)
				} else if name != "default" {
					continue
				}
			}
			if name != "" && !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
		h.Close()
	}
	slices.Sort(out)
	return out, found
}

// tilde writes path under the home directory as ~/...
func tilde(path string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return path
	}
	if rel, err := filepath.Rel(home, path); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
		return "~" + string(filepath.Separator) + rel
	}
	return path
}
