package blocks

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/crosswire/crosswire/internal/cdkx"
)

// WorkloadRolesProps configure NewWorkloadRoles.
type WorkloadRolesProps struct {
	// RoleID is the construct ID of the created role.
	RoleID string
	// ImportID is the construct ID of each imported role, followed by its index in
	// Existing (ImportID "SenderRole" gives SenderRole0, SenderRole1...).
	ImportID string
	// RoleName and Description are the created role's.
	RoleName, Description string
	// Account is the account whose principals may assume the created role: its
	// workloads take the role through their own identity policies, and the account
	// decides who that is.
	Account string
	// Existing are the ARNs of roles of Account to use instead of creating one.
	Existing []string
}

// NewWorkloadRoles gives the roles through which one side's workloads use a link (a
// sender's producer role, a topic's publisher role, a stream's producer role): the
// role it creates in scope when p.Existing is empty, or else the existing roles,
// imported as mutable so that an identity policy can be attached to them. created is
// nil when existing roles are used.
func NewWorkloadRoles(scope constructs.Construct, p WorkloadRolesProps) (created awsiam.Role, roles []awsiam.IRole) {
	if len(p.Existing) == 0 {
		created = awsiam.NewRole(scope, jsii.String(p.RoleID), &awsiam.RoleProps{
			RoleName:    jsii.String(p.RoleName),
			Description: jsii.String(p.Description),
			AssumedBy:   cdkx.Account(p.Account),
		})
		return created, []awsiam.IRole{created}
	}
	for i, arn := range p.Existing {
		roles = append(roles, awsiam.Role_FromRoleArn(scope, jsii.String(fmt.Sprintf("%s%d", p.ImportID, i)), jsii.String(arn),
			&awsiam.FromRoleArnOptions{Mutable: jsii.Bool(true)}))
	}
	return nil, roles
}
