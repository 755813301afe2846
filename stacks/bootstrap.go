package stacks

import "fmt"

// BootstrapCommands returns the command that bootstraps each account in each region
// of waves, once, in plan order, when the stacks span more than one region; nil when
// they are all in one region (each account is then bootstrapped there, as the root
// README says). The CDK CLI deploys a stack into the region of its environment, so a
// deploy command names no region; a region's bootstrap stack must exist first.
func BootstrapCommands(waves [][]StackRef) []string {
	regions := map[string]bool{}
	for _, w := range waves {
		for _, r := range w {
			regions[r.Region] = true
		}
	}
	if len(regions) < 2 {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, w := range waves {
		for _, r := range w {
			env := fmt.Sprintf("aws://%s/%s", r.AccountID, r.Region)
			if !seen[env] {
				seen[env] = true
				out = append(out, fmt.Sprintf("scripts/cdk bootstrap %s --profile %s", env, r.Alias))
			}
		}
	}
	return out
}
