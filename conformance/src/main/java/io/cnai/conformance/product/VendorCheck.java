package io.cnai.conformance.product;

/**
 * Whether a vendor name is a CNCF member, as the program's validator requires (an exact match with
 * a name under "CNCF Members" in the CNCF landscape). Pluggable: the check needs the network, and
 * a run without it only notes that the check was not made.
 */
@FunctionalInterface
public interface VendorCheck {
  Verdict check(String vendorName);

  /** The outcome: a member, not a member (with near names), or not known (with why not). */
  record Verdict(Kind kind, String detail) {
    public enum Kind {
      MEMBER,
      NOT_MEMBER,
      UNKNOWN
    }

    public static Verdict member() {
      return new Verdict(Kind.MEMBER, "");
    }

    public static Verdict notMember(String detail) {
      return new Verdict(Kind.NOT_MEMBER, detail);
    }

    public static Verdict unknown(String why) {
      return new Verdict(Kind.UNKNOWN, why);
    }
  }

  /** A check that is never made (the note says so). */
  VendorCheck NONE = name -> Verdict.unknown("the vendor check is switched off");
}
