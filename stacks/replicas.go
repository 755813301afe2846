package stacks

// Replicas: in a topology of many accounts, most accounts hold the same halves of
// the same links as many others (the spokes of a hub, the members of a fan-out), and
// their stacks differ only in the account's ID and alias. Building each such stack
// from the constructs costs about sixty calls from Go into the construct library per
// account, each a round trip to jsii's Node process, and those calls are most of a
// large synth. So Build groups the accounts by shape (everything their halves and
// stacks depend on, with their own ID and alias left out), builds two accounts of each
// large group from the constructs in an app of their own, and writes the templates of
// every account of the group from the first one's, with the ID and alias changed.
//
// It trusts that only when the second account's templates, built from the
// constructs, equal the first one's with the ID and alias changed, when their file
// assets (the code of functions) are the same, when neither template names another
// account of the group, and when the stacks have no errors or warnings, context
// look-ups or Docker images; otherwise every account of the group is built from the
// constructs. `cdk synth -c replicas=false` builds them all from the constructs.
//
// A replica stack is an ordinary stack of the app, with the account's environment,
// name, tags and dependencies, whose synthesizer writes the template it was given and
// adds the file assets (replicaSynthesizer, assetReplicaSynthesizer): aws-cdk-lib's
// DefaultStackSynthesizer does the rest (the template's asset, the asset manifest,
// the deployment roles), as for every other stack. What it lacks is the construct
// tree under the stack: no metadata file maps the resources' logical IDs to
// construct paths (the templates' own aws:cdk:path metadata still does).

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/crosswire/crosswire/internal/cdkx"
	"github.com/crosswire/crosswire/internal/cfnres"
	"github.com/crosswire/crosswire/internal/jsonx"
	"github.com/crosswire/crosswire/topology"
)

// ReplicasContext is the context key that turns replicas off when set to false:
// `cdk synth -c replicas=false` builds every stack from the constructs.
const ReplicasContext = "replicas"

// minReplicated is the fewest accounts of one shape whose stacks are replicated:
// two of them are built from the constructs anyway, to check the replication, and
// the stacks of fewer are as quick to build from the constructs.
const minReplicated = 3

// account is one account in one region: the unit whose stacks are replicated.
type account struct{ alias, id, region string }

// replica is what a replica stack writes: the template of the same phase of source,
// with source's ID and alias changed to the stack's account's.
type replica struct {
	template []byte
	// assets are the stack's file assets but its template (the code of its
	// functions), in the order of its asset manifest.
	assets       []fileAsset
	source, dest account
}

// fileAsset is a file or directory of a stack's asset manifest.
type fileAsset struct {
	hash, path, packaging, displayName string
}

// body is the replica's template.
func (r *replica) body() []byte { return replaceAccount(r.template, r.source, r.dest) }

// replaceAccount replaces the ID and alias of account from in s with those of to.
func replaceAccount(s []byte, from, to account) []byte {
	return replaceWord(replaceWord(s, from.id, to.id, isDigit), from.alias, to.alias, isAliasChar)
}

// replicate decides which stacks of refs Build writes as replicas, and returns what
// each of them writes, by stack name. It builds and synthesizes, in an app of its
// own, two accounts of each shape that at least minReplicated accounts share.
func replicate(app awscdk.App, t *topology.Topology, refs []StackRef) map[string]*replica {
	if v := app.Node().TryGetContext(jsii.String(ReplicasContext)); v == false || v == "false" {
		return nil
	}
	groups := shapes(t, refs)
	if len(groups) == 0 {
		return nil
	}
	dir, err := os.MkdirTemp("", "crosswire-replicas-")
	if err != nil {
		return nil
	}
	defer os.RemoveAll(dir)
	ctx, _ := app.Node().GetAllContext(nil).(map[string]any)
	proto := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(dir), Context: &ctx})
	if all := awscdk.Aspects_Of(app).All(); all != nil {
		for _, a := range *all {
			awscdk.Aspects_Of(proto).Add(a, nil)
		}
	}
	outdir := *app.Outdir()
	byName := map[string]awscdk.Stack{}
	rows := map[string][]dashboardRow{}
	artifactIDs := map[string]string{}
	for _, g := range groups {
		for _, a := range g.accounts[:2] {
			for _, r := range g.refs[a] {
				s, rs := newAccountStack(proto, r.StackName, &AccountStackProps{Topology: t, Alias: r.Alias, Region: r.Region, Phase: r.phase})
				byName[r.StackName], rows[r.StackName], artifactIDs[r.StackName] = s, rs, *s.ArtifactId()
			}
		}
	}
	if addDashboards(t, byName, rows) != nil {
		return nil // the stacks built from the constructs report it
	}
	proto.Synth(nil)
	asm, err := readProtoAssembly(dir)
	if err != nil || asm.Missing != nil {
		return nil // a look-up: the templates are not final
	}
	out := map[string]*replica{}
	for _, g := range groups {
		a, c := g.accounts[0], g.accounts[1]
		fromA, ok := map[Phase]*replica{}, true
		for i, r := range g.refs[a] {
			ra, okA := asm.replica(artifactIDs[r.StackName], a)
			rc, okC := asm.replica(artifactIDs[g.refs[c][i].StackName], c)
			ok = ok && okA && okC && !namesOthers(ra.template, a, g.accounts) &&
				bytes.Equal(replaceAccount(ra.template, a, c), rc.template) &&
				slices.EqualFunc(ra.assets, rc.assets, func(x, y fileAsset) bool {
					return x.hash == y.hash && x.path == y.path && x.packaging == y.packaging &&
						string(replaceAccount([]byte(x.displayName), a, c)) == y.displayName
				})
			fromA[r.phase] = ra
		}
		if !ok || copyAssets(dir, outdir, fromA) != nil {
			continue
		}
		for _, x := range g.accounts {
			for _, r := range g.refs[x] {
				out[r.StackName] = &replica{template: fromA[r.phase].template, assets: fromA[r.phase].assets, source: a, dest: x}
			}
		}
	}
	return out
}

// copyAssets copies the asset files and directories of replicas from the cloud
// assembly directory from to the app's, to, where the replicas' asset manifests name
// them, unless they are there already.
func copyAssets(from, to string, replicas map[Phase]*replica) error {
	for _, r := range replicas {
		for _, a := range r.assets {
			if _, err := os.Stat(filepath.Join(to, a.path)); err == nil {
				continue
			}
			if err := copyTree(filepath.Join(from, a.path), filepath.Join(to, a.path)); err != nil {
				return err
			}
		}
	}
	return nil
}

// copyTree copies the file or directory src to dst with the modes of src's files and
// directories, whatever the umask (a function's bootstrap must stay executable).
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			err = os.MkdirAll(target, 0o700)
		} else if info.Mode().IsRegular() {
			var b []byte
			if b, err = os.ReadFile(path); err == nil {
				err = os.WriteFile(target, b, 0o600)
			}
		} else {
			return fmt.Errorf("stacks: asset %s holds %s, neither a file nor a directory", src, rel)
		}
		if err != nil {
			return err
		}
		return os.Chmod(target, info.Mode().Perm())
	})
}

// group is the accounts of one shape, in topology order, and their stacks.
type group struct {
	accounts []account
	refs     map[account][]StackRef
}

// shapes groups the accounts of refs by shape and returns the groups of at least
// minReplicated accounts. An account with private access is in no group: its
// endpoints' subnets and addresses are its own.
func shapes(t *topology.Topology, refs []StackRef) []*group {
	stacksOf := map[account][]StackRef{}
	var order []account
	for _, r := range refs {
		if r.sets {
			continue
		}
		a := account{r.Alias, r.AccountID, r.Region}
		if _, seen := stacksOf[a]; !seen {
			order = append(order, a)
		}
		stacksOf[a] = append(stacksOf[a], r)
	}
	byKey := map[string]*group{}
	var keys []string
	for _, a := range order {
		if _, private := t.PrivateAccessOf(a.alias); private {
			continue
		}
		k := shapeKey(t, a, stacksOf[a])
		g := byKey[k]
		if g == nil {
			g = &group{refs: map[account][]StackRef{}}
			byKey[k] = g
			keys = append(keys, k)
		}
		g.accounts = append(g.accounts, a)
		g.refs[a] = stacksOf[a]
	}
	var out []*group
	for _, k := range keys {
		if g := byKey[k]; len(g.accounts) >= minReplicated {
			out = append(out, g)
		}
	}
	return out
}

// halfShape is what one half of an account's stacks depends on, but for the account.
type halfShape struct {
	Link, Role     string
	Phase          Phase
	Region         string
	Needs          []string
	AlarmTopic     string
	AccountOptions any
}

// shapeKey is everything the stacks of a in refs depend on, with a's own ID and
// alias replaced by placeholders: accounts with equal keys have templates that differ
// only in the ID and alias (as the kinds promise, linkkind.Half.AccountOptions).
func shapeKey(t *topology.Topology, a account, refs []StackRef) string {
	type stackShape struct {
		Name      string
		DependsOn []string
		Idle      bool
	}
	key := struct {
		Regions []string
		Stacks  []stackShape
		Halves  []halfShape
		Emails  []string
	}{Regions: t.Regions(a.alias), Emails: t.Alarms.Emails[a.alias]}
	for _, r := range refs {
		key.Stacks = append(key.Stacks, stackShape{r.StackName, r.DependsOn, r.Idle})
	}
	for _, h := range halves(t, a.alias, a.region) {
		var needs []string
		for _, n := range h.needs {
			needs = append(needs, n.alias+" in "+n.region)
		}
		key.Halves = append(key.Halves, halfShape{h.link, h.role, h.phase, h.region, needs, h.kindHalf.AlarmTopic, h.kindHalf.AccountOptions})
	}
	b, err := json.Marshal(key)
	if err != nil {
		// Options that do not marshal cannot be compared: the account has a shape of
		// its own.
		return "unique:" + a.alias + "/" + a.region
	}
	return string(replaceAccount(b, a, account{alias: "\x00alias", id: "\x00id"}))
}

// namesOthers reports whether template, of account a, names another account of
// accounts by ID or alias: replacing a's ID and alias would then not make the
// template of that other account.
func namesOthers(template []byte, a account, accounts []account) bool {
	for _, o := range accounts {
		if o != a && (wordIndex(template, []byte(o.id), isDigit) >= 0 || wordIndex(template, []byte(o.alias), isAliasChar) >= 0) {
			return true
		}
	}
	return false
}

// protoAssembly is the cloud assembly of the replicas' app: its directory and
// manifest.
type protoAssembly struct {
	dir string
	*cfnres.Manifest
}

// readProtoAssembly reads the manifest of the cloud assembly in dir.
func readProtoAssembly(dir string) (*protoAssembly, error) {
	m, err := cfnres.ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	return &protoAssembly{dir: dir, Manifest: m}, nil
}

// replica reads the template and file assets of the stack artifact id, of account
// a. It fails on a stack that cannot be read, that has errors or warnings (of
// aws-cdk-lib, or of cdk-nag in the tests: a replica stack, which has no
// constructs, would not carry them), or assets other than files and directories.
func (asm *protoAssembly) replica(id string, a account) (*replica, bool) {
	art, ok := asm.Artifacts[id]
	if !ok || art.Properties.TemplateFile == "" {
		return nil, false
	}
	metadata := art.Metadata
	if art.AdditionalMetadataFile != "" {
		raw, err := os.ReadFile(filepath.Join(asm.dir, art.AdditionalMetadataFile))
		if err != nil || json.Unmarshal(raw, &metadata) != nil {
			return nil, false
		}
	}
	for _, entries := range metadata {
		for _, e := range entries {
			if e.Type == "aws:cdk:error" || e.Type == "aws:cdk:warning" {
				return nil, false
			}
		}
	}
	template, err := os.ReadFile(filepath.Join(asm.dir, art.Properties.TemplateFile))
	if err != nil {
		return nil, false
	}
	r := &replica{template: template, source: a}
	for _, d := range art.Dependencies {
		if dep := asm.Artifacts[d]; dep.Type == "cdk:asset-manifest" {
			if r.assets, ok = fileAssets(filepath.Join(asm.dir, dep.Properties.File), art.Properties.TemplateFile); !ok {
				return nil, false
			}
		}
	}
	return r, true
}

// fileAssets returns the file assets of the asset manifest file but the template
// file templateFile, in the manifest's order. It fails on a manifest it cannot read,
// or with assets other than files and directories.
func fileAssets(file, templateFile string) ([]fileAsset, bool) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, false
	}
	var m struct {
		Files jsonx.Ordered[struct {
			DisplayName string `json:"displayName"`
			Source      struct {
				Path       string `json:"path"`
				Packaging  string `json:"packaging"`
				Executable any    `json:"executable"`
			} `json:"source"`
		}] `json:"files"`
		DockerImages map[string]any `json:"dockerImages"`
	}
	if json.Unmarshal(raw, &m) != nil || len(m.DockerImages) > 0 {
		return nil, false
	}
	var out []fileAsset
	for _, e := range m.Files {
		f := e.Value
		if f.Source.Path == templateFile {
			continue
		}
		if f.Source.Executable != nil || (f.Source.Packaging != "file" && f.Source.Packaging != "zip") {
			return nil, false
		}
		out = append(out, fileAsset{hash: e.Key, path: f.Source.Path, packaging: f.Source.Packaging, displayName: f.DisplayName})
	}
	return out, true
}

// newReplicaStack creates the stack of r, whose synthesizer writes rep's template
// and adds rep's assets.
func newReplicaStack(app awscdk.App, r StackRef, rep *replica) awscdk.Stack {
	w := &templateWriter{replica: rep, stackName: r.StackName}
	// The template holds the bootstrap version rule and the analytics metadata
	// already: the stack, which has no resources, makes neither. It holds the
	// resources' tags too; the stack's own come from them, as the feature flag
	// @aws-cdk/core:explicitStackTags of cdk.json has it.
	synthProps := &awscdk.DefaultStackSynthesizerProps{GenerateBootstrapVersionRule: jsii.Bool(false)}
	var s awscdk.IStackSynthesizer
	if len(rep.assets) == 0 {
		rs := &replicaSynthesizer{w: w}
		awscdk.NewDefaultStackSynthesizer_Override(rs, synthProps)
		s = rs
	} else {
		rs := &assetReplicaSynthesizer{w: w}
		awscdk.NewDefaultStackSynthesizer_Override(rs, synthProps)
		s = rs
	}
	stack := awscdk.NewStack(app, jsii.String(r.StackName), &awscdk.StackProps{
		Env:                &awscdk.Environment{Account: jsii.String(r.AccountID), Region: jsii.String(r.Region)},
		StackName:          jsii.String(r.StackName),
		Synthesizer:        s,
		AnalyticsReporting: jsii.Bool(false),
	})
	w.file = *stack.TemplateFile()
	for _, a := range rep.assets {
		packaging := awscdk.FileAssetPackaging_FILE
		if a.packaging == "zip" {
			packaging = awscdk.FileAssetPackaging_ZIP_DIRECTORY
		}
		s.AddFileAsset(&awscdk.FileAssetSource{
			FileName:    jsii.String(a.path),
			Packaging:   packaging,
			SourceHash:  jsii.String(a.hash),
			DisplayName: jsii.String(string(replaceAccount([]byte(a.displayName), rep.source, rep.dest))),
		})
	}
	cdkx.RememberStack(stack, r.AccountID, r.Region, r.StackName)
	return stack
}

// templateWriter writes a replica's template where its stack's template goes.
type templateWriter struct {
	replica *replica
	// file is the stack's template file, in the cloud assembly directory, and
	// stackName its name.
	file, stackName string
}

// write writes the replica's template into outdir and returns it as the stack's
// template asset, as DefaultStackSynthesizer does.
func (w *templateWriter) write(outdir string) *awscdk.FileAssetSource {
	body := w.replica.body()
	if err := os.WriteFile(filepath.Join(outdir, w.file), body, 0o644); err != nil {
		panic(fmt.Errorf("stacks: writing the template of %s: %w", w.stackName, err))
	}
	sum := sha256.Sum256(body)
	return &awscdk.FileAssetSource{
		FileName:    jsii.String(w.file),
		Packaging:   awscdk.FileAssetPackaging_FILE,
		SourceHash:  jsii.String(hex.EncodeToString(sum[:])),
		DisplayName: jsii.String(w.stackName + " Template"),
	}
}

// replicaSynthesizer is aws-cdk-lib's DefaultStackSynthesizer, but for the template:
// it writes its replica's instead of the stack's own (which has no resources).
type replicaSynthesizer struct {
	awscdk.DefaultStackSynthesizer
	w *templateWriter
}

// SynthesizeTemplate writes the replica's template (templateWriter.write).
func (s *replicaSynthesizer) SynthesizeTemplate(session awscdk.ISynthesisSession, _, _ *string, _ *map[string]any) *awscdk.FileAssetSource {
	return s.w.write(*session.Outdir())
}

// assetReplicaSynthesizer is replicaSynthesizer for a stack with assets, which
// newReplicaStack adds to it. A DefaultStackSynthesizer binds a copy of itself to
// each stack (ReusableBind), which jsii hands back to Go as the synthesizer itself;
// this one binds itself, so that the assets go into its stack's asset manifest.
type assetReplicaSynthesizer struct {
	awscdk.DefaultStackSynthesizer
	w *templateWriter
}

// SynthesizeTemplate writes the replica's template (templateWriter.write).
func (s *assetReplicaSynthesizer) SynthesizeTemplate(session awscdk.ISynthesisSession, _, _ *string, _ *map[string]any) *awscdk.FileAssetSource {
	return s.w.write(*session.Outdir())
}

// ReusableBind binds the synthesizer itself to stack, the one stack it serves.
func (s *assetReplicaSynthesizer) ReusableBind(stack awscdk.Stack) awscdk.IBoundStackSynthesizer {
	s.Bind(stack)
	return s
}

// isDigit reports whether c can be part of an account ID.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isAliasChar reports whether c is a letter or digit of an alias: a hyphen, which
// aliases may hold, separates an alias from the rest of a name (Crosswire-alias-wiring).
func isAliasChar(c byte) bool { return 'a' <= c && c <= 'z' || isDigit(c) }

// wordIndex is the index of the first occurrence of word in s that no character
// for which in is true adjoins, or -1.
func wordIndex(s, word []byte, in func(byte) bool) int {
	for i := 0; ; {
		j := bytes.Index(s[i:], word)
		if j < 0 {
			return -1
		}
		j += i
		end := j + len(word)
		if (j == 0 || !in(s[j-1])) && (end == len(s) || !in(s[end])) {
			return j
		}
		i = j + 1
	}
}

// replaceWord replaces in s every occurrence of old that no character for which in
// is true adjoins (see wordIndex) with new.
func replaceWord(s []byte, old, new string, in func(byte) bool) []byte {
	if old == "" || old == new {
		return s
	}
	var out []byte
	for {
		j := wordIndex(s, []byte(old), in)
		if j < 0 {
			if out == nil {
				return s
			}
			return append(out, s...)
		}
		out = append(append(out, s[:j]...), new...)
		s = s[j+len(old):]
	}
}
