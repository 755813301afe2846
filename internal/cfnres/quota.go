package cfnres

// Quota is one AWS policy quota.
type Quota struct {
	// Name of the policy kind, as messages and reports say it.
	Name string
	// Limit on the policy's size, in Unit, without white space.
	Limit int
	Unit  string
	// MaxStatements, MaxPrincipals and MaxConditions, when not 0, are further limits
	// of the kind (conditions count each condition key of each statement).
	MaxStatements, MaxPrincipals, MaxConditions int
	// Advice says what to change when a policy is over.
	Advice string
}

// The quotas checked. Sizes are of the policy as CloudFormation sends it (compact
// JSON). CloudFormation intrinsics are resolved to their longest value where it is
// known (Fn::Join of known parts, the partition, region, account and URL suffix) and
// counted as IntrinsicLength characters otherwise (Fn::GetAtt, other Refs), longer
// than any ARN these templates resolve to.
var (
	QueuePolicy = Quota{Name: "SQS queue policy", Limit: 8192, Unit: "bytes", MaxStatements: 20, MaxPrincipals: 50, MaxConditions: 10,
		Advice: "admit the senders as a group (allow: organization, with the topology's organization), or split the link into queue links of at most 49 sender accounts"}
	TopicPolicy = Quota{Name: "SNS topic policy", Limit: 30 * 1024, Unit: "bytes", MaxStatements: 100, MaxPrincipals: 200,
		Advice: "let the organization subscribe (allow: organization with the topology's organization), or split the receivers over several topic links"}
	BusPolicy = Quota{Name: "EventBridge event bus policy", Limit: 10240, Unit: "characters",
		Advice: "admit the senders with allow: organization, or split the link (each bus link has its own bus)"}
	StreamPolicy = Quota{Name: "Kinesis resource policy", Limit: 20 * 1024, Unit: "bytes",
		Advice: "split the consumers over several stream links"}
	KeyPolicy = Quota{Name: "KMS key policy", Limit: 32 * 1024, Unit: "bytes",
		Advice: "admit the senders as a group (allow: organization), or split the link"}
	TrustPolicy = Quota{Name: "IAM role trust policy", Limit: 2048, Unit: "characters",
		Advice: "admit the senders as a group (allow: organization or allow: accounts), or split the link; AWS can raise this quota to 4,096 characters, but the check stays at the default"}
	RoleInlinePolicies = Quota{Name: "IAM role inline policies (all together)", Limit: 10240, Unit: "characters",
		Advice: "spread the links over several roles (senderRoles, publisherRoles, producerRoles)"}
	ManagedPolicy = Quota{Name: "IAM managed policy", Limit: 6144, Unit: "characters",
		Advice: "split the policy"}
	EndpointPolicy = Quota{Name: "VPC endpoint policy", Limit: 20480, Unit: "characters",
		Advice: "split the account's links over several accounts or endpoints"}
	FunctionPolicy = Quota{Name: "Lambda function policy (all permissions together)", Limit: 20 * 1024, Unit: "bytes",
		Advice: "admit fewer sender accounts per function (split the link), or deliver through a bus (mode: bus)"}
)
