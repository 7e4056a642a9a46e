package main

import (
	"reflect"
	"strings"
	"testing"

	v1 "k8s.io/api/core/v1"
	netv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func pod(ns, name, node, ip string, lbl map[string]string, ports ...v1.ContainerPort) *v1.Pod {
	return &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: lbl},
		Spec:       v1.PodSpec{NodeName: node, Containers: []v1.Container{{Name: "c", Ports: ports}}},
		Status:     v1.PodStatus{Phase: v1.PodRunning, PodIP: ip, PodIPs: []v1.PodIP{{IP: ip}}},
	}
}

func ns(name string, lbl map[string]string) *v1.Namespace {
	return &v1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: lbl}}
}

// The classroom's policy: pods of the namespace, pods of namespaces that are not a classroom's, and
// addresses outside the pods' range.
func classroomPolicy(namespace string) *netv1.NetworkPolicy {
	return &netv1.NetworkPolicy{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: "classroom-isolation"},
		Spec: netv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{},
			PolicyTypes: []netv1.PolicyType{netv1.PolicyTypeIngress},
			Ingress: []netv1.NetworkPolicyIngressRule{
				{From: []netv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{}}}},
				{From: []netv1.NetworkPolicyPeer{{NamespaceSelector: &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
					{Key: "cnai.io/classroom", Operator: metav1.LabelSelectorOpDoesNotExist}}}}}},
				{From: []netv1.NetworkPolicyPeer{{IPBlock: &netv1.IPBlock{CIDR: "0.0.0.0/0", Except: []string{"10.202.0.0/16"}}}}},
			},
		},
	}
}

func classroom() ([]*v1.Pod, []*v1.Namespace, []*netv1.NetworkPolicy) {
	student := map[string]string{"cnai.io/classroom": "true"}
	pods := []*v1.Pod{
		pod("class-s01", "jupyterlab-1", "n0", "10.202.0.11", map[string]string{"app": "jupyterlab"}),
		pod("class-s01", "job-1", "n0", "10.202.0.12", nil),
		pod("class-s02", "jupyterlab-2", "n0", "10.202.0.21", map[string]string{"app": "jupyterlab"}),
		pod("cnai-starter", "mlflow", "n0", "10.202.0.31", nil),
		pod("class-s03", "jupyterlab-3", "n1", "10.202.1.41", nil), // another node's
	}
	namespaces := []*v1.Namespace{ns("class-s01", student), ns("class-s02", student), ns("class-s03", student), ns("cnai-starter", nil)}
	return pods, namespaces, []*netv1.NetworkPolicy{classroomPolicy("class-s01"), classroomPolicy("class-s02"), classroomPolicy("class-s03")}
}

func TestClassroomPodsReceiveFromTheirNamespaceOtherNamespacesAndOutsideButNotOtherStudents(t *testing.T) {
	pods, namespaces, policies := classroom()
	rs, warnings := Compute("n0", pods, namespaces, policies)
	if len(warnings) != 0 {
		t.Fatalf("warnings: %v", warnings)
	}
	if len(rs.Egress) != 0 {
		t.Fatalf("an ingress policy isolated egress: %+v", rs.Egress)
	}
	var isolated []string
	for _, c := range rs.Ingress {
		isolated = append(isolated, c.Pod)
	}
	// only this node's pods, and only those a policy selects (cnai-starter has none)
	want := []string{"class-s01/job-1", "class-s01/jupyterlab-1", "class-s02/jupyterlab-2"}
	if !reflect.DeepEqual(isolated, want) {
		t.Fatalf("isolated %v, want %v", isolated, want)
	}
	s01 := rs.Ingress[1]
	rules := strings.Join(s01.Rules, "\n")
	for _, allowed := range []string{"-s 10.202.0.11/32", "-s 10.202.0.12/32", "-s 10.202.0.31/32", "-s 0.0.0.0/5", "-s 10.203.0.0/16", "-s 128.0.0.0/1"} {
		if !strings.Contains(rules, allowed+"\n") && !strings.HasSuffix(rules, allowed) {
			t.Errorf("s01's server does not allow %s:\n%s", allowed, rules)
		}
	}
	for _, refused := range []string{"10.202.0.21", "10.202.1.41", "10.202.0.0/16", "0.0.0.0/0"} {
		if strings.Contains(rules, refused) {
			t.Errorf("s01's server allows %s:\n%s", refused, rules)
		}
	}
}

func TestRenderReturnsWhatIsAllowedAndRejectsTheRest(t *testing.T) {
	pods, namespaces, policies := classroom()
	rs, _ := Compute("n0", pods, namespaces, policies)
	text := Render(rs, []string{"CNAI-NPI-0000000000000000", rs.Ingress[0].Name})
	lines := strings.Split(text, "\n")
	if lines[0] != "*filter" || lines[len(lines)-2] != "COMMIT" {
		t.Fatalf("not a filter table:\n%s", text)
	}
	c := rs.Ingress[1]
	for _, want := range []string{
		":CNAI-NETPOL - [0:0]",
		"-A CNAI-NETPOL -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN",
		"-A CNAI-NETPOL -d 10.202.0.11/32 -m comment --comment \"ingress of class-s01/jupyterlab-1\" -j " + c.Name,
		"-A " + c.Name + " -s 10.202.0.12/32 -j RETURN",
		"-A " + c.Name + " -p tcp -j REJECT --reject-with tcp-reset",
		"-A " + c.Name + " -j REJECT --reject-with icmp-port-unreachable",
		"-F CNAI-NPI-0000000000000000", "-X CNAI-NPI-0000000000000000",
	} {
		if !contains(lines, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	if strings.Contains(text, "-X "+rs.Ingress[0].Name) {
		t.Errorf("a chain in use is deleted:\n%s", text)
	}
	// the reject comes after every allowed source
	last := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "-A "+c.Name+" ") && strings.HasSuffix(l, "-j RETURN") {
			last = i
		}
	}
	if last < 0 || lines[last+1] != "-A "+c.Name+" -p tcp -j REJECT --reject-with tcp-reset" {
		t.Errorf("reject is not after the allowed sources:\n%s", text)
	}
}

func TestPortsNamedAndNumberedAndEgress(t *testing.T) {
	tcp, udp := v1.ProtocolTCP, v1.ProtocolUDP
	end := int32(9100)
	web := pod("a", "web", "n0", "10.202.0.5", map[string]string{"app": "web"}, v1.ContainerPort{Name: "http", ContainerPort: 8888})
	client := pod("a", "client", "n0", "10.202.0.6", map[string]string{"app": "client"})
	policies := []*netv1.NetworkPolicy{{
		ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "web"},
		Spec: netv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Ingress: []netv1.NetworkPolicyIngressRule{{
				From: []netv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "client"}}}},
				Ports: []netv1.NetworkPolicyPort{
					{Protocol: &tcp, Port: &intstr.IntOrString{Type: intstr.String, StrVal: "http"}},
					{Protocol: &tcp, Port: &intstr.IntOrString{Type: intstr.String, StrVal: "nope"}},
					{Protocol: &udp, Port: &intstr.IntOrString{IntVal: 9000}, EndPort: &end},
				},
			}},
		},
	}, {
		ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "client"},
		Spec: netv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{MatchLabels: map[string]string{"app": "client"}},
			PolicyTypes: []netv1.PolicyType{netv1.PolicyTypeEgress},
			Egress: []netv1.NetworkPolicyEgressRule{{
				To:    []netv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}}},
				Ports: []netv1.NetworkPolicyPort{{Port: &intstr.IntOrString{Type: intstr.String, StrVal: "http"}}},
			}},
		},
	}}
	rs, _ := Compute("n0", []*v1.Pod{web, client}, []*v1.Namespace{ns("a", nil)}, policies)
	if len(rs.Ingress) != 1 || rs.Ingress[0].Pod != "a/web" {
		t.Fatalf("ingress: %+v", rs.Ingress)
	}
	wantIn := []string{"-s 10.202.0.6/32 -p tcp -m tcp --dport 8888", "-s 10.202.0.6/32 -p udp -m udp --dport 9000:9100"}
	if !reflect.DeepEqual(rs.Ingress[0].Rules, wantIn) {
		t.Errorf("ingress rules %v, want %v", rs.Ingress[0].Rules, wantIn)
	}
	if len(rs.Egress) != 1 || rs.Egress[0].Pod != "a/client" {
		t.Fatalf("egress: %+v", rs.Egress)
	}
	wantOut := []string{"-d 10.202.0.5/32 -p tcp -m tcp --dport 8888"}
	if !reflect.DeepEqual(rs.Egress[0].Rules, wantOut) {
		t.Errorf("egress rules %v, want %v", rs.Egress[0].Rules, wantOut)
	}
}

func TestDenyAllAllowsNothingAndNoPolicyIsolatesNothing(t *testing.T) {
	p := pod("a", "x", "n0", "10.202.0.5", nil)
	rs, _ := Compute("n0", []*v1.Pod{p}, []*v1.Namespace{ns("a", nil)}, nil)
	if len(rs.Ingress)+len(rs.Egress) != 0 {
		t.Fatalf("isolated without a policy: %+v", rs)
	}
	deny := &netv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "deny"},
		Spec: netv1.NetworkPolicySpec{PolicyTypes: []netv1.PolicyType{netv1.PolicyTypeIngress, netv1.PolicyTypeEgress}}}
	rs, _ = Compute("n0", []*v1.Pod{p}, []*v1.Namespace{ns("a", nil)}, []*netv1.NetworkPolicy{deny})
	if len(rs.Ingress) != 1 || len(rs.Ingress[0].Rules) != 0 || len(rs.Egress) != 1 || len(rs.Egress[0].Rules) != 0 {
		t.Fatalf("deny-all: %+v", rs)
	}
	// an empty rule allows everything
	allow := &netv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "allow"},
		Spec: netv1.NetworkPolicySpec{Ingress: []netv1.NetworkPolicyIngressRule{{}}}}
	rs, _ = Compute("n0", []*v1.Pod{p}, []*v1.Namespace{ns("a", nil)}, []*netv1.NetworkPolicy{deny, allow})
	if !reflect.DeepEqual(rs.Ingress[0].Rules, []string{""}) {
		t.Fatalf("allow-all rules: %q", rs.Ingress[0].Rules)
	}
	if !strings.Contains(Render(rs, nil), "-A "+rs.Ingress[0].Name+" -j RETURN\n") {
		t.Fatalf("allow-all not rendered:\n%s", Render(rs, nil))
	}
}

func TestFinishedAndHostNetworkPodsAreNotPeers(t *testing.T) {
	done := pod("a", "done", "n0", "10.202.0.7", nil)
	done.Status.Phase = v1.PodSucceeded
	host := pod("a", "host", "n0", "10.201.0.2", nil)
	host.Spec.HostNetwork = true
	target := pod("a", "t", "n0", "10.202.0.8", map[string]string{"app": "t"})
	pol := &netv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "p"},
		Spec: netv1.NetworkPolicySpec{PodSelector: metav1.LabelSelector{MatchLabels: map[string]string{"app": "t"}},
			Ingress: []netv1.NetworkPolicyIngressRule{{From: []netv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{}}}}}}}
	rs, _ := Compute("n0", []*v1.Pod{done, host, target}, []*v1.Namespace{ns("a", nil)}, []*netv1.NetworkPolicy{pol})
	if !reflect.DeepEqual(rs.Ingress[0].Rules, []string{"-s 10.202.0.8/32"}) {
		t.Fatalf("rules: %v", rs.Ingress[0].Rules)
	}
}

func TestMinus(t *testing.T) {
	got, err := minus("10.0.0.0/8", []string{"10.1.0.0/16", "10.128.0.0/9"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/16", "10.2.0.0/15", "10.4.0.0/14", "10.8.0.0/13", "10.16.0.0/12", "10.32.0.0/11", "10.64.0.0/10"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if _, err := minus("10.0.0.0/33", nil); err == nil {
		t.Fatal("a bad CIDR was taken")
	}
	if got, _ := minus("10.0.0.0/8", []string{"0.0.0.0/0"}); len(got) != 0 {
		t.Fatalf("everything excepted left %v", got)
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}
