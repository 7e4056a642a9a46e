package io.cnai.installer.cluster.sim;

import java.nio.file.Path;

/**
 * The files of one sim cluster under {@code ${CNAI_HOME:-~/.cnai}/clusters/<name>/}: its
 * settings, PKI, kubeconfigs, etcd data, and per process a log, a pid record, its command line and
 * its health URL. Everything a later {@code cnai} process needs to find, restart or remove it.
 */
public record SimLayout(Path root) {
  public Path properties() {
    return root.resolve("cluster.properties");
  }

  public Path pki() {
    return root.resolve("pki");
  }

  public Path etcdData() {
    return root.resolve("etcd");
  }

  public Path logs() {
    return root.resolve("logs");
  }

  public Path run() {
    return root.resolve("run");
  }

  public Path log(SimComponent c) {
    return log(c.id());
  }

  /** The same for any process of the cluster by its id (a node's kubelet: {@code kubelet-<node>}). */
  public Path log(String id) {
    return logs().resolve(id + ".log");
  }

  public Path pid(SimComponent c) {
    return pid(c.id());
  }

  /** The same for any process of the cluster by its id (a node's kubelet: {@code kubelet-<node>}). */
  public Path pid(String id) {
    return run().resolve(id + ".pid");
  }

  public Path args(SimComponent c) {
    return args(c.id());
  }

  /** The same for any process of the cluster by its id (a node's kubelet: {@code kubelet-<node>}). */
  public Path args(String id) {
    return run().resolve(id + ".args");
  }

  public Path health(SimComponent c) {
    return health(c.id());
  }

  /** The same for any process of the cluster by its id (a node's kubelet: {@code kubelet-<node>}). */
  public Path health(String id) {
    return run().resolve(id + ".health");
  }

  /** The admin kubeconfig. */
  public Path kubeconfig() {
    return root.resolve("kubeconfig");
  }

  /** The kubeconfig a control-plane part or kwok uses. */
  public Path componentKubeconfig(String who) {
    return root.resolve("kubeconfigs").resolve(who + ".kubeconfig");
  }

  public Path kwokConfig() {
    return root.resolve("kwok-stages.yaml");
  }

  public Path certDir() {
    return root.resolve("serving-certs");
  }
}
