package io.cnai.installer.classroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnai.core.CnaiException;
import io.cnai.core.Location;
import io.cnai.installer.kube.ClusterFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A class larger than the cluster's allocatable CPU or memory is refused, naming the first student who does not fit. */
class CapacityTest {
  /** One Ready node of 8 CPUs and 32 GiB, one NotReady node that does not count. */
  private static final ClusterFacts LAPTOP = new ClusterFacts("v1.35.0", "linux/amd64", List.of(
      new ClusterFacts.NodeFacts("n1", true, "8", "32Gi", 8, 32L << 30, 0, null, Map.of(), false),
      new ClusterFacts.NodeFacts("n2", false, "64", "256Gi", 64, 256L << 30, 0, null, Map.of(), false)));

  @Test
  void sixSmallStudentsFitOnALaptopButSevenDoNot() {
    // 8 CPUs - 2 kept for the stack = 6 small students (1 CPU each)
    assertThatCode(() -> Capacity.check(Roster.ofCount(6, Size.SMALL), LAPTOP, "--students 6")).doesNotThrowAnyException();
    assertThatThrownBy(() -> Capacity.check(Roster.ofCount(7, Size.SMALL), LAPTOP, "--students 7"))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(2);
          assertThat(e.problem()).contains("--students 7").contains("too many students").contains("'s07' (number 7)")
              .contains("1 Ready node(s) have 8 CPUs");
          assertThat(e.hint()).contains("at most 6 fit");
        });
  }

  @Test
  void memoryCountsToo() {
    // 32 GiB - 16 kept = 16 GiB: four large students (4 GiB each) fit by memory, but not by CPU (16 > 6)
    ClusterFacts bigCpu = new ClusterFacts("v1.35.0", "", List.of(
        new ClusterFacts.NodeFacts("n1", true, "64", "32Gi", 64, 32L << 30, 0, null, Map.of(), false)));
    assertThatCode(() -> Capacity.check(Roster.ofCount(4, Size.LARGE), bigCpu, "x")).doesNotThrowAnyException();
    assertThatThrownBy(() -> Capacity.check(Roster.ofCount(5, Size.LARGE), bigCpu, "x")).hasMessageContaining("'s05'");
  }

  @Test
  void aRosterStudentWhoDoesNotFitIsNamedByLine() {
    List<Student> students = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      students.add(new Student("kid" + i, Size.LARGE, new Location("class.csv", i + 1, 1)));
    }
    assertThatThrownBy(() -> Capacity.check(students, LAPTOP, "class.csv"))
        .isInstanceOfSatisfying(CnaiException.class, e -> assertThat(e.location()).isEqualTo(new Location("class.csv", 3, 1)));
  }

  @Test
  void aLaptopClassroomCountsOnlyTheServers() {
    // 2 CPUs and 24 GiB, as this machine: no student's whole quota fits, but 40 servers of 50m do
    ClusterFacts twoCores = new ClusterFacts("v1.35.0", "", List.of(
        new ClusterFacts.NodeFacts("n1", true, "2", "24Gi", 2, 24L << 30, 0, null, Map.of(), false)));
    assertThatThrownBy(() -> Capacity.check(Roster.ofCount(1, Size.SMALL), twoCores, "--students 1")).hasMessageContaining("'s01'");
    assertThatCode(() -> Capacity.check(Roster.ofCount(30, Size.SMALL), twoCores, "--students 30", Capacity.Fit.SERVERS))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Capacity.check(Roster.ofCount(41, Size.SMALL), twoCores, "--students 41", Capacity.Fit.SERVERS))
        .isInstanceOfSatisfying(CnaiException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(2);
          assertThat(e.problem()).contains("41 JupyterLab servers request 2.1 CPUs");
          assertThat(e.hint()).contains("at most 40 servers fit").endsWith("nothing was created");
        });
    assertThatThrownBy(() -> Capacity.Fit.parse("all")).hasMessageContaining("--fit 'all'");
  }
}
