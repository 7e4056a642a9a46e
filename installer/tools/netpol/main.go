// cnai-netpol enforces Kubernetes NetworkPolicies on one real node of a cnai local cluster, with
// iptables in the node's network namespace (where it runs, like kube-proxy). It watches pods,
// namespaces and NetworkPolicies, and on every change writes the whole rule set of the node's
// isolated pods with one iptables-restore (see rules.go for what it enforces).
//
//	cnai-netpol --kubeconfig FILE --node NAME [--healthz ADDR] [--resync DURATION]
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the agent (reads pods, namespaces, networkpolicies)")
	node := flag.String("node", "", "the node whose pods this agent isolates")
	healthz := flag.String("healthz", "", "address of /healthz (200 once the first rule set is written)")
	resync := flag.Duration("resync", 30*time.Second, "how often the rules are written again even without a change")
	flag.Parse()
	log.SetFlags(log.LstdFlags | log.Lmicroseconds | log.LUTC)
	if *kubeconfig == "" || *node == "" {
		fmt.Fprintln(os.Stderr, "usage: cnai-netpol --kubeconfig FILE --node NAME [--healthz ADDR] [--resync DURATION]")
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

	var synced atomic.Bool
	if *healthz != "" {
		mux := http.NewServeMux()
		mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
			if synced.Load() {
				fmt.Fprintln(w, "ok")
				return
			}
			http.Error(w, "no rule set written yet", http.StatusServiceUnavailable)
		})
		go func() { log.Fatal(http.ListenAndServe(*healthz, mux)) }()
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	factory := informers.NewSharedInformerFactory(client, 0)
	pods := factory.Core().V1().Pods()
	namespaces := factory.Core().V1().Namespaces()
	policies := factory.Networking().V1().NetworkPolicies()
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
	for _, inf := range []cache.SharedIndexInformer{pods.Informer(), namespaces.Informer(), policies.Informer()} {
		if _, err := inf.AddEventHandler(handler); err != nil {
			log.Fatalf("informer: %v", err)
		}
	}
	factory.Start(ctx.Done())
	for typ, ok := range factory.WaitForCacheSync(ctx.Done()) {
		if !ok {
			log.Fatalf("cache of %v did not sync", typ)
		}
	}
	log.Printf("watching pods, namespaces and NetworkPolicies for node %s", *node)

	ticker := time.NewTicker(*resync)
	defer ticker.Stop()
	last := ""
	poke()
	for {
		select {
		case <-ctx.Done():
			log.Printf("stopping; the rules stay with the node's network namespace")
			return
		case <-ticker.C:
			last = "" // write again: someone may have flushed the table
		case <-changed:
			// a burst of events (a classroom of 30 made at once) becomes one write
			time.Sleep(50 * time.Millisecond)
		}
		p, _ := pods.Lister().List(labels.Everything())
		n, _ := namespaces.Lister().List(labels.Everything())
		np, _ := policies.Lister().List(labels.Everything())
		rs, warnings := Compute(*node, p, n, np)
		for _, w := range warnings {
			log.Printf("warning: %s", w)
		}
		if err := ensureJumps(); err != nil {
			log.Printf("error: %v", err)
			continue
		}
		stale, err := ownedChains()
		if err != nil {
			log.Printf("error: %v", err)
			continue
		}
		text := Render(rs, stale)
		if text == last {
			continue
		}
		start := time.Now()
		if err := restore(text); err != nil {
			log.Printf("error: %v", err)
			continue
		}
		last = text
		synced.Store(true)
		rules := strings.Count(text, "\n-A ")
		log.Printf("wrote %d rules: %d policies, %d pods isolated for ingress, %d for egress (%s)",
			rules, rs.Policies, len(rs.Ingress), len(rs.Egress), time.Since(start).Round(time.Millisecond))
	}
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
