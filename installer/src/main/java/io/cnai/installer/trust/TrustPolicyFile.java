package io.cnai.installer.trust;

import io.cnai.core.CnaiException;
import io.cnai.core.Fields;
import io.cnai.core.YNode;
import io.cnai.core.Yaml;
import io.cnai.distro.DistributionLoader;
import io.cnai.installer.verify.Match;
import io.cnai.installer.verify.SignerPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's release policy: which signers a distribution lockfile must come from. Read
 * strictly; relative paths are relative to the policy file.
 *
 * <pre>
 * apiVersion: distro.cnai.io/v1alpha1
 * kind: DistributionTrustPolicy
 * spec:
 *   signers:
 *     - publicKey: keys/cnai-release.pub
 *     - identity: https://github.com/ORG/REPO/.github/workflows/release.yml@refs/heads/main
 *       issuer: https://token.actions.githubusercontent.com
 *   trustedRoot: trusted_root.json     # optional, for keyless signers
 * </pre>
 */
public final class TrustPolicyFile {
  public static final String KIND = "DistributionTrustPolicy";

  private TrustPolicyFile() {}

  public static TrustPolicy load(Path file) {
    YNode root = Yaml.read(file);
    Fields top = Fields.of(root, file.getFileName().toString());
    DistributionLoader.checkHeader(top, io.cnai.distro.Distribution.API_VERSION, KIND);
    Fields spec = Fields.of(top.required("spec"), "spec");
    YNode.YList list = Fields.asList(spec.required("signers"), "spec.signers");
    Path base = file.toAbsolutePath().getParent();
    List<SignerPolicy> signers = new ArrayList<>();
    for (YNode item : list.items()) {
      signers.add(signer(Fields.of(item, "spec.signers[]"), base));
    }
    if (signers.isEmpty()) {
      throw CnaiException.badInput(
          list.location(), "spec.signers is empty", "list the public key or keyless identity that signs releases");
    }
    Path trustedRoot = spec.optString("trustedRoot").map(base::resolve).orElse(null);
    spec.done();
    top.done();
    return new TrustPolicy(signers, trustedRoot, false, file.toString());
  }

  private static SignerPolicy signer(Fields s, Path base) {
    String key = s.optString("publicKey").orElse(null);
    String identity = s.optString("identity").orElse(null);
    String identityRegexp = s.optString("identityRegexp").orElse(null);
    String issuer = s.optString("issuer").orElse(null);
    String issuerRegexp = s.optString("issuerRegexp").orElse(null);
    s.done();
    boolean keyless = identity != null || identityRegexp != null || issuer != null || issuerRegexp != null;
    if (key != null && !keyless) {
      return new SignerPolicy.PublicKey(base.resolve(key));
    }
    if (key != null
        || (identity == null) == (identityRegexp == null)
        || (issuer == null) == (issuerRegexp == null)) {
      throw CnaiException.badInput(
          s.location(),
          "a signer is either 'publicKey', or one of 'identity'/'identityRegexp' with one of 'issuer'/'issuerRegexp'",
          "write 'publicKey: FILE', or 'identity:' and 'issuer:'");
    }
    Match id = identity != null ? Match.exact(identity) : Match.regex(identityRegexp);
    Match iss = issuer != null ? Match.exact(issuer) : Match.regex(issuerRegexp);
    return new SignerPolicy.Keyless(id, iss);
  }
}
