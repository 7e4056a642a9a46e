package io.cnai.conformance.product;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.conformance.Fixtures;
import io.cnai.conformance.product.VendorCheck.Verdict.Kind;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The vendor check reads the member names as the program's validator does; without the network it is only a note. */
class LandscapeMembersTest {
  @Test
  void membersMatchExactlyWithTheMemberAndSupporterSuffixesRemoved() {
    try (Fixtures.Server server = new Fixtures.Server()) {
      server.serve("/landscape.yml", Fixtures.bytes(Fixtures.LANDSCAPE));
      LandscapeMembers check = new LandscapeMembers(server.url("/landscape.yml"), HttpClient.newHttpClient(), Duration.ofSeconds(5));
      assertThat(check.check("Example Org").kind()).isEqualTo(Kind.MEMBER);
      assertThat(check.check("Another Company").kind()).isEqualTo(Kind.MEMBER);
      assertThat(check.check("Supporting Example").kind()).isEqualTo(Kind.MEMBER);
      VendorCheck.Verdict near = check.check("Example Org.");
      assertThat(near.kind()).isEqualTo(Kind.NOT_MEMBER);
      assertThat(near.detail()).contains("nearest name is 'Example Org'");
      // an item outside the members category is not a member
      assertThat(check.check("Not A Member Tool").kind()).isEqualTo(Kind.NOT_MEMBER);
      assertThat(server.hits.get()).as("the list is fetched once per run").isEqualTo(1);
    }
  }

  @Test
  void offlineOrUnreadableTheVerdictIsUnknownWithTheReason() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    VendorCheck.Verdict v = new LandscapeMembers("http://127.0.0.1:" + port + "/landscape.yml", HttpClient.newHttpClient(),
        Duration.ofSeconds(2)).check("Example Org");
    assertThat(v.kind()).isEqualTo(Kind.UNKNOWN);
    assertThat(v.detail()).contains("could not be fetched");
    try (Fixtures.Server server = new Fixtures.Server()) {
      server.serve("/landscape.yml", "landscape: []\n".getBytes());
      assertThat(new LandscapeMembers(server.url("/landscape.yml"), HttpClient.newHttpClient(), Duration.ofSeconds(5))
          .check("Example Org").detail()).contains("could not be read").contains("CNCF Members");
    }
  }
}
