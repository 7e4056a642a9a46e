package io.cnai.sbom;

import io.cnai.core.CnaiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.ExternalReference;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;
import org.cyclonedx.parsers.JsonParser;
import org.cyclonedx.util.LicenseResolver;

/**
 * Turns an {@link SbomInput} into a CycloneDX 1.6 JSON SBOM and validates it against the CycloneDX
 * schema that cyclonedx-core-java ships.
 *
 * <p>Shape: the distribution is the metadata component (type platform). Each stack component is an
 * application whose nested components are its chart and subcharts or manifests (files, with
 * SHA-256 hashes where the lock pins them) and its container images (containers, with a pkg:oci
 * package URL and a SHA-256 hash when pinned by digest). Dependencies: the distribution depends on
 * every component; a component depends on the components it needs, its artifacts and its images.
 */
public final class CycloneDxSbom {
  public static final Version VERSION = Version.VERSION_16;

  private CycloneDxSbom() {}

  /** The SBOM as JSON; it is validated before it is returned. */
  public static String json(SbomInput input) {
    Bom bom = bom(input);
    String json;
    try {
      json = BomGeneratorFactory.createJson(VERSION, bom).toJsonString(true);
    } catch (GeneratorException e) {
      throw CnaiException.failure("cannot write the CycloneDX SBOM: " + e.getMessage(), "this is a bug in cnai; report it", e);
    }
    List<String> errors = validate(json);
    if (!errors.isEmpty()) {
      throw CnaiException.failure(
          "the SBOM cnai made does not validate against the CycloneDX " + VERSION.getVersionString() + " schema: "
              + String.join("; ", errors),
          "this is a bug in cnai; report it with the distribution that caused it");
    }
    return json.endsWith("\n") ? json : json + "\n";
  }

  /** Schema errors of a CycloneDX 1.6 JSON document; empty when it is valid. */
  public static List<String> validate(String json) {
    try {
      List<ParseException> errors = new JsonParser().validate(json.getBytes(StandardCharsets.UTF_8), VERSION);
      return errors.stream().map(Throwable::getMessage).toList();
    } catch (IOException e) {
      return List.of("not JSON: " + e.getMessage());
    }
  }

  static Bom bom(SbomInput in) {
    Bom bom = new Bom();
    bom.setSerialNumber("urn:uuid:" + serial(in));
    Metadata meta = new Metadata();
    meta.setTimestamp(Date.from(in.timestamp()));
    Component tool = new Component();
    tool.setType(Component.Type.APPLICATION);
    tool.setName("cnai");
    ToolInformation tools = new ToolInformation();
    tools.setComponents(List.of(tool));
    meta.setToolChoice(tools);
    Component root = new Component();
    root.setType(Component.Type.PLATFORM);
    root.setBomRef(distributionRef(in));
    root.setName(in.name());
    root.setVersion(in.version());
    if (in.description() != null) {
      root.setDescription(in.description());
    }
    meta.setComponent(root);
    if (!in.properties().isEmpty()) {
      List<Property> props = new ArrayList<>();
      in.properties().forEach((k, v) -> addProperty(props, k, v));
      meta.setProperties(props);
    }
    bom.setMetadata(meta);

    List<Component> components = new ArrayList<>();
    List<Dependency> dependencies = new ArrayList<>();
    Dependency rootDep = new Dependency(root.getBomRef());
    Map<String, String> refs = new LinkedHashMap<>();
    for (SbomInput.StackComponent c : in.components()) {
      refs.put(c.name(), "component:" + c.name());
    }
    for (SbomInput.StackComponent c : in.components()) {
      String ref = refs.get(c.name());
      rootDep.addDependency(new Dependency(ref));
      Component comp = new Component();
      comp.setType(Component.Type.APPLICATION);
      comp.setBomRef(ref);
      comp.setName(c.name());
      if (c.version() != null) {
        comp.setVersion(c.version());
      }
      List<Property> props = new ArrayList<>();
      addProperty(props, "cnai:namespace", c.namespace());
      addProperty(props, "cnai:source", c.sourceType());
      if (!props.isEmpty()) {
        comp.setProperties(props);
      }
      if (c.sourceLocation() != null) {
        comp.setExternalReferences(List.of(reference(ExternalReference.Type.DISTRIBUTION, c.sourceLocation())));
      }
      LicenseChoice licenses = licenses(c.licenses());
      if (licenses != null) {
        comp.setLicenses(licenses);
      }
      Dependency dep = new Dependency(ref);
      for (String d : c.dependsOn()) {
        String target = refs.get(d);
        if (target == null) {
          throw CnaiException.badInput(
              "component '" + c.name() + "' depends on '" + d + "', which is not in the SBOM input",
              "list every component the SBOM's dependencies name");
        }
        dep.addDependency(new Dependency(target));
      }
      List<Component> nested = new ArrayList<>();
      for (SbomInput.Artifact a : c.artifacts()) {
        Component f = artifact(c.name(), a);
        nested.add(f);
        dep.addDependency(new Dependency(f.getBomRef()));
      }
      for (SbomInput.Image image : c.images()) {
        Component img = image(c.name(), image);
        nested.add(img);
        dep.addDependency(new Dependency(img.getBomRef()));
      }
      if (!nested.isEmpty()) {
        comp.setComponents(nested);
      }
      components.add(comp);
      dependencies.add(dep);
    }
    dependencies.add(0, rootDep);
    bom.setComponents(components);
    bom.setDependencies(dependencies);
    return bom;
  }

  static String distributionRef(SbomInput in) {
    return "distribution:" + in.name() + "@" + in.version();
  }

  private static Component artifact(String owner, SbomInput.Artifact a) {
    Component f = new Component();
    f.setType(Component.Type.FILE);
    f.setBomRef(owner + ":" + a.kind() + ":" + a.name() + (a.version() != null ? "@" + a.version() : ""));
    f.setName(a.name());
    if (a.version() != null) {
      f.setVersion(a.version());
    }
    List<Property> props = new ArrayList<>();
    addProperty(props, "cnai:artifact", a.kind());
    f.setProperties(props);
    if (a.digest() != null) {
      f.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, hex(a.digest(), owner + " " + a.kind() + " " + a.name()))));
    }
    if (a.location() != null) {
      f.setExternalReferences(List.of(reference(ExternalReference.Type.DISTRIBUTION, a.location())));
    }
    return f;
  }

  private static Component image(String owner, SbomInput.Image image) {
    ImageRef ref = ImageRef.parseOrNull(image.reference());
    if (ref == null) {
      throw CnaiException.badInput(
          "component '" + owner + "': '" + image.reference() + "' is not a container image reference",
          "write images as [registry/]repository[:tag][@sha256:hex]");
    }
    Component c = new Component();
    c.setType(Component.Type.CONTAINER);
    c.setBomRef(owner + ":image:" + image.reference());
    c.setName(ref.repository());
    c.setVersion(ref.version());
    c.setPurl(ref.purl());
    if (ref.pinned()) {
      c.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, ref.digest().substring("sha256:".length()))));
    }
    List<Property> props = new ArrayList<>();
    addProperty(props, "cnai:image", image.reference());
    addProperty(props, "cnai:pinned", Boolean.toString(ref.pinned()));
    for (String where : image.foundIn()) {
      addProperty(props, "cnai:found-in", where);
    }
    c.setProperties(props);
    return c;
  }

  private static LicenseChoice licenses(List<String> names) {
    if (names.isEmpty()) {
      return null;
    }
    LicenseChoice choice = new LicenseChoice();
    for (String n : names) {
      LicenseChoice resolved = LicenseResolver.resolve(n);
      if (resolved != null && resolved.getLicenses() != null && !resolved.getLicenses().isEmpty()) {
        License l = new License();
        l.setId(resolved.getLicenses().get(0).getId());
        if (l.getId() == null) {
          l.setName(n);
        }
        choice.addLicense(l);
      } else {
        License l = new License();
        l.setName(n);
        choice.addLicense(l);
      }
    }
    return choice;
  }

  private static ExternalReference reference(ExternalReference.Type type, String url) {
    ExternalReference r = new ExternalReference();
    r.setType(type);
    r.setUrl(url);
    return r;
  }

  private static void addProperty(List<Property> props, String name, String value) {
    if (value != null && !value.isBlank()) {
      Property p = new Property();
      p.setName(name);
      p.setValue(value);
      props.add(p);
    }
  }

  private static String hex(String digest, String what) {
    String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
    if (!hex.matches("[0-9a-f]{64}")) {
      throw CnaiException.badInput(what + ": '" + digest + "' is not a SHA-256 digest", "write sha256:<64 hex digits>");
    }
    return hex;
  }

  /** A name-based UUID of the content: the same input gives the same serial number. */
  private static UUID serial(SbomInput in) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(in.toString().getBytes(StandardCharsets.UTF_8));
      byte[] h = md.digest();
      return UUID.nameUUIDFromBytes(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
