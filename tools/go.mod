// This folder holds the pinned CDK CLI and Node (package.json). Its own go.mod keeps
// tools/node_modules, which contains Go templates of the CDK CLI, out of the module's
// `./...` pattern, so `go test ./...` and `go vet ./...` see only this project's code.
module github.com/crosswire/crosswire/tools

go 1.26
