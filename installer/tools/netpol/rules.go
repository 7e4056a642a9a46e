package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"sort"
	"strings"

	v1 "k8s.io/api/core/v1"
	netv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// The chains of the agent, in the filter table of the node's network namespace. FORWARD and INPUT
// jump to Top first; Top sends a packet from an egress-isolated pod of this node to that pod's
// egress chain and a packet to an ingress-isolated pod of this node to its ingress chain. A chain
// RETURNs what a policy allows and rejects the rest; a packet that comes back to Top goes on
// through the rest of FORWARD or INPUT.
const (
	Top           = "CNAI-NETPOL"
	ingressPrefix = "CNAI-NPI-"
	egressPrefix  = "CNAI-NPE-"
)

// Port is one allowed destination port range of a protocol; Port 0 means every port of Proto.
type Port struct {
	Proto string
	Port  int32
	End   int32
}

// Chain is what one isolated pod of this node may receive (ingress) or send (egress).
type Chain struct {
	Name  string // iptables chain
	Pod   string // namespace/name
	IP    string
	Rules []string // iptables match parts, each allowed (RETURN); empty: nothing is allowed
}

// Ruleset is the whole state the agent writes for one node.
type Ruleset struct {
	Ingress  []Chain
	Egress   []Chain
	Policies int
}

// peer is one address a rule allows: a pod's (pod set) or a block's (pod nil).
type peer struct {
	cidr string
	pod  *v1.Pod
}

// Compute decides from the cluster's pods, namespaces and NetworkPolicies (networking.k8s.io/v1)
// which pods of node are isolated and what each may receive and send. Pure: the same objects give
// the same rules, in the same order.
func Compute(node string, pods []*v1.Pod, namespaces []*v1.Namespace, policies []*netv1.NetworkPolicy) (Ruleset, []string) {
	var warnings []string
	nsLabels := map[string]labels.Set{}
	for _, ns := range namespaces {
		nsLabels[ns.Name] = labels.Set(ns.Labels)
	}
	live := make([]*v1.Pod, 0, len(pods))
	for _, p := range pods {
		if ip4(p) != "" {
			live = append(live, p)
		}
	}
	sort.Slice(live, func(i, j int) bool { return key(live[i]) < key(live[j]) })
	pols := append([]*netv1.NetworkPolicy(nil), policies...)
	sort.Slice(pols, func(i, j int) bool { return pols[i].Namespace+"/"+pols[i].Name < pols[j].Namespace+"/"+pols[j].Name })

	type isolated struct {
		pod   *v1.Pod
		rules []string
	}
	ingress := map[string]*isolated{}
	egress := map[string]*isolated{}
	isolate := func(m map[string]*isolated, p *v1.Pod) *isolated {
		c, ok := m[key(p)]
		if !ok {
			c = &isolated{pod: p}
			m[key(p)] = c
		}
		return c
	}
	for _, pol := range pols {
		sel, err := metav1.LabelSelectorAsSelector(&pol.Spec.PodSelector)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("NetworkPolicy %s/%s: podSelector: %v (ignored)", pol.Namespace, pol.Name, err))
			continue
		}
		in, out := types(pol)
		for _, p := range live {
			if p.Spec.NodeName != node || p.Namespace != pol.Namespace || !sel.Matches(labels.Set(p.Labels)) {
				continue
			}
			if in {
				c := isolate(ingress, p)
				for _, r := range pol.Spec.Ingress {
					peers, w := resolve(pol, r.From, live, nsLabels)
					warnings = append(warnings, w...)
					c.rules = append(c.rules, matches("-s", peers, r.Ports, func(*v1.Pod) *v1.Pod { return p })...)
				}
			}
			if out {
				c := isolate(egress, p)
				for _, r := range pol.Spec.Egress {
					peers, w := resolve(pol, r.To, live, nsLabels)
					warnings = append(warnings, w...)
					c.rules = append(c.rules, matches("-d", peers, r.Ports, func(dst *v1.Pod) *v1.Pod { return dst })...)
				}
			}
		}
	}
	chains := func(m map[string]*isolated, prefix string) []Chain {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out []Chain
		for _, k := range keys {
			c := m[k]
			out = append(out, Chain{chainName(prefix, c.pod), k, ip4(c.pod), dedupe(c.rules)})
		}
		return out
	}
	rs := Ruleset{Policies: len(pols), Ingress: chains(ingress, ingressPrefix), Egress: chains(egress, egressPrefix)}
	return rs, warnings
}

// types says whether a policy isolates for ingress and for egress: as policyTypes lists, or, without
// it, ingress always and egress when the policy has egress rules.
func types(pol *netv1.NetworkPolicy) (bool, bool) {
	if len(pol.Spec.PolicyTypes) == 0 {
		return true, len(pol.Spec.Egress) > 0
	}
	in, out := false, false
	for _, t := range pol.Spec.PolicyTypes {
		switch t {
		case netv1.PolicyTypeIngress:
			in = true
		case netv1.PolicyTypeEgress:
			out = true
		}
	}
	return in, out
}

// resolve gives the addresses of a rule's peers; nil with no peers means any address.
func resolve(pol *netv1.NetworkPolicy, from []netv1.NetworkPolicyPeer, pods []*v1.Pod, nsLabels map[string]labels.Set) ([]peer, []string) {
	if len(from) == 0 {
		return nil, nil
	}
	out := []peer{}
	var warnings []string
	for _, pr := range from {
		if pr.IPBlock != nil {
			cidrs, err := minus(pr.IPBlock.CIDR, pr.IPBlock.Except)
			if err != nil {
				warnings = append(warnings, fmt.Sprintf("NetworkPolicy %s/%s: ipBlock %s: %v (this peer allows nothing)", pol.Namespace, pol.Name, pr.IPBlock.CIDR, err))
				continue
			}
			for _, c := range cidrs {
				out = append(out, peer{cidr: c})
			}
			continue
		}
		podSel := labels.Everything()
		if pr.PodSelector != nil {
			s, err := metav1.LabelSelectorAsSelector(pr.PodSelector)
			if err != nil {
				warnings = append(warnings, fmt.Sprintf("NetworkPolicy %s/%s: peer podSelector: %v (this peer allows nothing)", pol.Namespace, pol.Name, err))
				continue
			}
			podSel = s
		}
		var nsSel labels.Selector
		if pr.NamespaceSelector != nil {
			s, err := metav1.LabelSelectorAsSelector(pr.NamespaceSelector)
			if err != nil {
				warnings = append(warnings, fmt.Sprintf("NetworkPolicy %s/%s: peer namespaceSelector: %v (this peer allows nothing)", pol.Namespace, pol.Name, err))
				continue
			}
			nsSel = s
		}
		for _, p := range pods {
			if nsSel == nil && p.Namespace != pol.Namespace {
				continue
			}
			if nsSel != nil && !nsSel.Matches(nsLabels[p.Namespace]) {
				continue
			}
			if podSel.Matches(labels.Set(p.Labels)) {
				out = append(out, peer{cidr: ip4(p) + "/32", pod: p})
			}
		}
	}
	return out, warnings
}

// matches writes the iptables matches of one rule: each peer (flag -s or -d; none: any) with each
// port (none: any). A named port is looked up on the pod that receives: the isolated pod for
// ingress, the peer for egress; a name no container declares allows nothing.
func matches(flag string, peers []peer, ports []netv1.NetworkPolicyPort, receiver func(*v1.Pod) *v1.Pod) []string {
	var out []string
	emit := func(addr string, dst *v1.Pod) {
		if len(ports) == 0 {
			out = append(out, strings.TrimSpace(addr))
			return
		}
		for _, np := range ports {
			for _, pt := range portsOf(np, dst) {
				m := addr + " -p " + pt.Proto
				if pt.Port != 0 {
					if pt.End > pt.Port {
						m += fmt.Sprintf(" -m %s --dport %d:%d", pt.Proto, pt.Port, pt.End)
					} else {
						m += fmt.Sprintf(" -m %s --dport %d", pt.Proto, pt.Port)
					}
				}
				out = append(out, strings.TrimSpace(m))
			}
		}
	}
	if peers == nil {
		emit("", receiver(nil))
		return out
	}
	for _, p := range peers {
		emit(flag+" "+p.cidr, receiver(p.pod))
	}
	return out
}

func portsOf(np netv1.NetworkPolicyPort, dst *v1.Pod) []Port {
	proto := "tcp"
	if np.Protocol != nil {
		proto = strings.ToLower(string(*np.Protocol))
	}
	if np.Port == nil {
		return []Port{{Proto: proto}}
	}
	if np.Port.Type == intstr.Int {
		p := Port{Proto: proto, Port: np.Port.IntVal}
		if np.EndPort != nil {
			p.End = *np.EndPort
		}
		return []Port{p}
	}
	if dst == nil {
		return nil
	}
	var out []Port
	for _, c := range append(append([]v1.Container{}, dst.Spec.InitContainers...), dst.Spec.Containers...) {
		for _, cp := range c.Ports {
			cpProto := "tcp"
			if cp.Protocol != "" {
				cpProto = strings.ToLower(string(cp.Protocol))
			}
			if cp.Name == np.Port.StrVal && cpProto == proto {
				out = append(out, Port{Proto: proto, Port: cp.ContainerPort})
			}
		}
	}
	return out
}

// minus is a CIDR without its exceptions, as the prefixes that remain (IPv4 only).
func minus(cidr string, except []string) ([]string, error) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return nil, err
	}
	if !p.Addr().Is4() {
		return nil, fmt.Errorf("only IPv4 blocks are enforced on cnai local nodes")
	}
	left := []netip.Prefix{p.Masked()}
	for _, e := range except {
		x, err := netip.ParsePrefix(e)
		if err != nil {
			return nil, fmt.Errorf("except %s: %v", e, err)
		}
		var next []netip.Prefix
		for _, l := range left {
			next = append(next, subtract(l, x.Masked())...)
		}
		left = next
	}
	out := make([]string, 0, len(left))
	for _, l := range left {
		out = append(out, l.String())
	}
	return out, nil
}

func subtract(p, x netip.Prefix) []netip.Prefix {
	if !p.Overlaps(x) {
		return []netip.Prefix{p}
	}
	if x.Bits() <= p.Bits() { // x holds p
		return nil
	}
	lo := netip.PrefixFrom(p.Addr(), p.Bits()+1)
	hiAddr := p.Addr().As4()
	bit := p.Bits()
	hiAddr[bit/8] |= 0x80 >> (bit % 8)
	hi := netip.PrefixFrom(netip.AddrFrom4(hiAddr), p.Bits()+1)
	return append(subtract(lo, x), subtract(hi, x)...)
}

// Render writes the ruleset as iptables-restore input for the filter table (with --noflush): Top and
// every pod chain are written whole, and chains of the agent that are no longer needed (stale) are
// flushed and deleted.
func Render(rs Ruleset, stale []string) string {
	var b strings.Builder
	b.WriteString("*filter\n")
	fmt.Fprintf(&b, ":%s - [0:0]\n", Top)
	keep := map[string]bool{}
	all := append(append([]Chain{}, rs.Egress...), rs.Ingress...)
	for _, c := range all {
		fmt.Fprintf(&b, ":%s - [0:0]\n", c.Name)
		keep[c.Name] = true
	}
	// replies of what was allowed when it began, and what conntrack relates to it
	fmt.Fprintf(&b, "-A %s -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN\n", Top)
	for _, c := range rs.Egress {
		fmt.Fprintf(&b, "-A %s -s %s/32 -m comment --comment \"egress of %s\" -j %s\n", Top, c.IP, c.Pod, c.Name)
	}
	for _, c := range rs.Ingress {
		fmt.Fprintf(&b, "-A %s -d %s/32 -m comment --comment \"ingress of %s\" -j %s\n", Top, c.IP, c.Pod, c.Name)
	}
	for _, c := range all {
		for _, r := range c.Rules {
			if r == "" {
				fmt.Fprintf(&b, "-A %s -j RETURN\n", c.Name)
			} else {
				fmt.Fprintf(&b, "-A %s %s -j RETURN\n", c.Name, r)
			}
		}
		fmt.Fprintf(&b, "-A %s -p tcp -j REJECT --reject-with tcp-reset\n", c.Name)
		fmt.Fprintf(&b, "-A %s -j REJECT --reject-with icmp-port-unreachable\n", c.Name)
	}
	sorted := append([]string(nil), stale...)
	sort.Strings(sorted)
	for _, s := range sorted {
		if !keep[s] {
			fmt.Fprintf(&b, "-F %s\n-X %s\n", s, s)
		}
	}
	b.WriteString("COMMIT\n")
	return b.String()
}

// Owned tells the agent's pod chains in iptables-save output.
func Owned(chain string) bool {
	return strings.HasPrefix(chain, ingressPrefix) || strings.HasPrefix(chain, egressPrefix)
}

func chainName(prefix string, p *v1.Pod) string {
	sum := sha256.Sum256([]byte(key(p) + "/" + ip4(p)))
	return prefix + strings.ToUpper(hex.EncodeToString(sum[:])[:16])
}

func key(p *v1.Pod) string { return p.Namespace + "/" + p.Name }

// ip4 is a pod's IPv4 address when it has one and its traffic is the pod's own (not the node's).
func ip4(p *v1.Pod) string {
	if p.Spec.HostNetwork || p.Status.Phase == v1.PodSucceeded || p.Status.Phase == v1.PodFailed {
		return ""
	}
	for _, ip := range p.Status.PodIPs {
		if a, err := netip.ParseAddr(ip.IP); err == nil && a.Is4() {
			return a.String()
		}
	}
	if a, err := netip.ParseAddr(p.Status.PodIP); err == nil && a.Is4() {
		return a.String()
	}
	return ""
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
