// cnai-netpol enforces Kubernetes NetworkPolicies on one real node of a cnai local cluster, with
// iptables in the node's network namespace (where it runs, like kube-proxy). It watches pods,
// namespaces and NetworkPolicies, and on every change writes the whole rule set of the node's
// isolated pods with one iptables-restore (see rules.go for what it enforces).
//
//	cnai-netpol --kubeconfig FILE --node NAME [--healthz ADDR] [--socket PATH] [--resync DURATION]
//
// With CNI_COMMAND set it is the node's chained CNI plugin instead (cni.go).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	listersv1 "k8s.io/client-go/listers/core/v1"
	listersnetv1 "k8s.io/client-go/listers/networking/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
)

func main() {
	if os.Getenv("CNI_COMMAND") != "" {
		os.Exit(cniMain())
	}
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the agent (reads pods, namespaces, networkpolicies)")
	node := flag.String("node", "", "the node whose pods this agent isolates")
	healthz := flag.String("healthz", "", "address of /healthz (200 once the first rule set is written)")
	socket := flag.String("socket", "", "unix socket where the node's CNI plugin (this binary, type cnai-netpol) tells new pods' addresses")
	resync := flag.Duration("resync", 30*time.Second, "how often the rules are written again even without a change")
	flag.Parse()
	log.SetFlags(log.LstdFlags | log.Lmicroseconds | log.LUTC)
	if *kubeconfig == "" || *node == "" {
		fmt.Fprintln(os.Stderr, "usage: cnai-netpol --kubeconfig FILE --node NAME [--healthz ADDR] [--socket PATH] [--resync DURATION]")
		os.Exit(2)
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		log.Fatalf("kubeconfig %s: %v", *kubeconfig, err)
	}
	cfg.UserAgent = "cnai-netpol"
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		log.Fatalf("client: %v", err)
	}
	if err := ensureJumps(); err != nil {
		log.Fatalf("iptables: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	factory := informers.NewSharedInformerFactory(client, 0)
	a := &agent{
		node:       *node,
		pods:       factory.Core().V1().Pods().Lister(),
		namespaces: factory.Core().V1().Namespaces().Lister(),
		policies:   factory.Networking().V1().NetworkPolicies().Lister(),
		cni:        map[string]cniAddress{},
	}
	changed := make(chan struct{}, 1)
	poke := func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	handler := cache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { poke() },
		UpdateFunc: func(any, any) { poke() },
		DeleteFunc: func(any) { poke() },
	}
	for _, inf := range []cache.SharedIndexInformer{factory.Core().V1().Pods().Informer(),
		factory.Core().V1().Namespaces().Informer(), factory.Networking().V1().NetworkPolicies().Informer()} {
		if _, err := inf.AddEventHandler(handler); err != nil {
			log.Fatalf("informer: %v", err)
		}
	}
	if *healthz != "" {
		mux := http.NewServeMux()
		mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
			if a.synced.Load() {
				fmt.Fprintln(w, "ok")
				return
			}
			http.Error(w, "no rule set written yet", http.StatusServiceUnavailable)
		})
		go func() { log.Fatal(http.ListenAndServe(*healthz, mux)) }()
	}
	factory.Start(ctx.Done())
	for typ, ok := range factory.WaitForCacheSync(ctx.Done()) {
		if !ok {
			log.Fatalf("cache of %v did not sync", typ)
		}
	}
	if *socket != "" {
		serveCNI(*socket, a)
	}
	log.Printf("watching pods, namespaces and NetworkPolicies for node %s", *node)

	ticker := time.NewTicker(*resync)
	defer ticker.Stop()
	poke()
	for {
		select {
		case <-ctx.Done():
			log.Printf("stopping; the rules stay with the node's network namespace")
			if *socket != "" {
				os.Remove(*socket)
			}
			return
		case <-ticker.C:
			a.forget() // write again: someone may have flushed the table
		case <-changed:
			// a burst of events (a classroom of 30 made at once) becomes one write
			time.Sleep(50 * time.Millisecond)
		}
		if err := a.sync(); err != nil {
			log.Printf("error: %v", err)
		}
	}
}

// cniAddress is a pod's address as the CNI plugin told it, before the API server has it.
type cniAddress struct {
	ip   string
	told time.Time
}

type agent struct {
	node       string
	pods       listersv1.PodLister
	namespaces listersv1.NamespaceLister
	policies   listersnetv1.NetworkPolicyLister
	mu         sync.Mutex
	cni        map[string]cniAddress // namespace/name -> address
	last       string
	synced     atomic.Bool
}

func (a *agent) forget() {
	a.mu.Lock()
	a.last = ""
	a.mu.Unlock()
}

// sync computes the rule set from the caches (with the addresses the CNI plugin told that the API
// server does not have yet) and writes it when it changed.
func (a *agent) sync() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	listed, _ := a.pods.List(labels.Everything())
	present := map[string]bool{}
	pods := make([]*v1.Pod, 0, len(listed))
	for _, p := range listed {
		k := key(p)
		present[k] = true
		if c, ok := a.cni[k]; ok {
			if ip4(p) == c.ip {
				delete(a.cni, k) // the API server has it now
			} else if ip4(p) == "" && p.Status.Phase != v1.PodSucceeded && p.Status.Phase != v1.PodFailed {
				p = p.DeepCopy()
				p.Status.PodIP = c.ip
				p.Status.PodIPs = []v1.PodIP{{IP: c.ip}}
			}
		}
		pods = append(pods, p)
	}
	for k, c := range a.cni {
		if !present[k] && time.Since(c.told) > time.Minute {
			delete(a.cni, k)
		}
	}
	n, _ := a.namespaces.List(labels.Everything())
	np, _ := a.policies.List(labels.Everything())
	rs, warnings := Compute(a.node, pods, n, np)
	for _, w := range warnings {
		log.Printf("warning: %s", w)
	}
	if err := ensureJumps(); err != nil {
		return err
	}
	stale, err := ownedChains()
	if err != nil {
		return err
	}
	text := Render(rs, stale)
	if text == a.last {
		return nil
	}
	start := time.Now()
	if err := restore(text); err != nil {
		return err
	}
	a.last = text
	a.synced.Store(true)
	log.Printf("wrote %d rules: %d policies, %d pods isolated for ingress, %d for egress (%s)",
		strings.Count(text, "\n-A "), rs.Policies, len(rs.Ingress), len(rs.Egress), time.Since(start).Round(time.Millisecond))
	return nil
}

// serveCNI answers the node's CNI plugin: /cni/add records a new pod's address and answers once
// rules that know it are written (the pod must be in the cache: it was scheduled to this node, so
// the watch brings it); /cni/del forgets it.
func serveCNI(socket string, a *agent) {
	os.Remove(socket)
	l, err := net.Listen("unix", socket)
	if err != nil {
		log.Fatalf("socket %s: %v", socket, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/cni/add", func(w http.ResponseWriter, r *http.Request) {
		var p CNIPod
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil || p.IP == "" {
			http.Error(w, "want {namespace, name, ip}", http.StatusBadRequest)
			return
		}
		start := time.Now()
		for {
			if _, err := a.pods.Pods(p.Namespace).Get(p.Name); err == nil {
				break
			}
			if time.Since(start) > 10*time.Second {
				http.Error(w, "pod "+p.Namespace+"/"+p.Name+" is not known to the agent after 10 s", http.StatusServiceUnavailable)
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		a.mu.Lock()
		a.cni[p.Namespace+"/"+p.Name] = cniAddress{ip: p.IP, told: time.Now()}
		a.mu.Unlock()
		if err := a.sync(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		log.Printf("cni: %s/%s has %s (rules written in %s)", p.Namespace, p.Name, p.IP, time.Since(start).Round(time.Millisecond))
	})
	mux.HandleFunc("/cni/del", func(w http.ResponseWriter, r *http.Request) {
		var p CNIPod
		if err := json.NewDecoder(r.Body).Decode(&p); err == nil {
			a.mu.Lock()
			delete(a.cni, p.Namespace+"/"+p.Name)
			a.mu.Unlock()
		}
	})
	go func() { log.Fatal(http.Serve(l, mux)) }()
}

// ensureJumps makes Top the first rule of FORWARD (pod to pod, the host to pods) and of INPUT (pods
// to the node's own services, as its DNS), moving it back there when another agent (kube-proxy)
// put rules before it: those accept Service traffic before a policy could refuse it.
func ensureJumps() error {
	if out, err := iptables("-S", Top); err != nil {
		if _, err := iptables("-N", Top); err != nil {
			return fmt.Errorf("cannot create chain %s: %v (%s)", Top, err, out)
		}
	}
	for _, parent := range []string{"FORWARD", "INPUT"} {
		out, err := iptables("-S", parent)
		if err != nil {
			return fmt.Errorf("cannot list %s: %v", parent, err)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		jump := "-A " + parent + " -j " + Top
		if len(lines) > 1 && lines[1] == jump {
			continue
		}
		for _, l := range lines {
			if l == jump {
				if _, err := iptables("-D", parent, "-j", Top); err != nil {
					return fmt.Errorf("cannot move the jump in %s: %v", parent, err)
				}
			}
		}
		if _, err := iptables("-I", parent, "1", "-j", Top); err != nil {
			return fmt.Errorf("cannot jump from %s to %s: %v", parent, Top, err)
		}
	}
	return nil
}

// ownedChains lists the agent's pod chains that are in the table now.
func ownedChains() ([]string, error) {
	cmd := exec.Command("iptables-save", "-t", "filter")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("iptables-save: %v", err)
	}
	var chains []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, ":") {
			name := strings.Fields(l[1:])[0]
			if Owned(name) {
				chains = append(chains, name)
			}
		}
	}
	return chains, nil
}

func restore(text string) error {
	cmd := exec.Command("iptables-restore", "--noflush", "-w", "5")
	cmd.Stdin = strings.NewReader(text)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("iptables-restore: %v: %s", err, strings.TrimSpace(errb.String()))
	}
	return nil
}

func iptables(args ...string) (string, error) {
	cmd := exec.Command("iptables", append([]string{"-w", "5", "-t", "filter"}, args...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}
