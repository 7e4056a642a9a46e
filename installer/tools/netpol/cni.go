package main

// The same binary is a chained CNI plugin (type "cnai-netpol", after the bridge plugin): when the
// node's runtime sets up a pod's network, before any of its containers starts, the plugin tells the
// agent the pod's address (from the bridge's result) and waits until the agent has written rules
// that know it. So a new pod is isolated from its first instant, and what it may reach lets it in
// from its first packet, instead of after the pod's address reaches the API server.
//
// Config: {"type": "cnai-netpol", "socket": "/path/of/the/agent.sock"}

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"time"
)

// CNIPod is what the plugin tells the agent.
type CNIPod struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	IP        string `json:"ip"`
}

func cniMain() int {
	command := os.Getenv("CNI_COMMAND")
	stdin, _ := io.ReadAll(os.Stdin)
	var conf struct {
		CNIVersion string          `json:"cniVersion"`
		Socket     string          `json:"socket"`
		PrevResult json.RawMessage `json:"prevResult"`
	}
	if command != "VERSION" {
		if err := json.Unmarshal(stdin, &conf); err != nil {
			return cniError("", 6, "cannot read the network configuration", err.Error())
		}
	}
	switch command {
	case "VERSION":
		fmt.Println(`{"cniVersion":"1.0.0","supportedVersions":["0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}`)
		return 0
	case "ADD":
		if len(conf.PrevResult) == 0 {
			return cniError(conf.CNIVersion, 7, "cnai-netpol must follow a plugin that gives the pod an address", "no prevResult")
		}
		var prev struct {
			IPs []struct {
				Address string `json:"address"`
			} `json:"ips"`
		}
		if err := json.Unmarshal(conf.PrevResult, &prev); err != nil {
			return cniError(conf.CNIVersion, 7, "cannot read the previous plugin's result", err.Error())
		}
		ip := ""
		for _, a := range prev.IPs {
			if p, err := netip.ParsePrefix(a.Address); err == nil && p.Addr().Is4() {
				ip = p.Addr().String()
				break
			}
		}
		args := cniArgs(os.Getenv("CNI_ARGS"))
		pod := CNIPod{Namespace: args["K8S_POD_NAMESPACE"], Name: args["K8S_POD_NAME"], IP: ip}
		if ip != "" && pod.Namespace != "" && pod.Name != "" {
			if err := post(conf.Socket, "/cni/add", pod, 20*time.Second); err != nil {
				return cniError(conf.CNIVersion, 11, "the node's NetworkPolicy agent did not take pod "+pod.Namespace+"/"+pod.Name,
					err.Error()+" (is cnai-netpol running? see logs/netpol-<node>.log in the cluster's folder)")
			}
		}
		var result map[string]any
		if err := json.Unmarshal(conf.PrevResult, &result); err != nil {
			return cniError(conf.CNIVersion, 7, "cannot read the previous plugin's result", err.Error())
		}
		result["cniVersion"] = conf.CNIVersion
		out, _ := json.Marshal(result)
		os.Stdout.Write(out)
		return 0
	case "DEL":
		args := cniArgs(os.Getenv("CNI_ARGS"))
		// best effort: the agent also forgets an address once its pod is gone
		_ = post(conf.Socket, "/cni/del", CNIPod{Namespace: args["K8S_POD_NAMESPACE"], Name: args["K8S_POD_NAME"]}, 5*time.Second)
		return 0
	default: // CHECK, STATUS, GC
		return 0
	}
}

func cniArgs(s string) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Split(s, ";") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			out[k] = v
		}
	}
	return out
}

func post(socket, path string, pod CNIPod, timeout time.Duration) error {
	if socket == "" {
		return fmt.Errorf("no socket in the plugin's configuration")
	}
	client := http.Client{Timeout: timeout, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", socket)
		},
	}}
	body, _ := json.Marshal(pod)
	resp, err := client.Post("http://agent"+path, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(msg)))
	}
	return nil
}

func cniError(version string, code int, msg, details string) int {
	if version == "" {
		version = "1.0.0"
	}
	out, _ := json.Marshal(map[string]any{"cniVersion": version, "code": code, "msg": msg, "details": details})
	os.Stdout.Write(out)
	return 1
}
