package io.cnai.installer.classroom;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A student's JupyterLab in headless Chromium, driven through WebDriver: Debian's {@code chromium}
 * and {@code chromium-driver}, both given by path so that Selenium Manager downloads nothing. Opens
 * a notebook, types into a cell's editor (CodeMirror 6, {@code .cm-content}), runs it with
 * Shift + Enter and reads the output back from the DOM ({@code .jp-OutputArea-output}).
 */
final class LabBrowser implements AutoCloseable {
  private static final String PANEL = ".jp-NotebookPanel";
  private static final String CODE_CELL = ".jp-Notebook .jp-CodeCell";
  /** Held here: a logger nobody refers to loses its level. */
  private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");
  /** No CDP bindings match every Chromium release; only WebDriver is used. */
  private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");
  private final ChromeDriver driver;
  private final ChromeDriverService service;

  private LabBrowser(ChromeDriver driver, ChromeDriverService service) {
    this.driver = driver;
    this.service = service;
  }

  /** CNAI_CHROMEDRIVER, else chromedriver on the PATH or in /usr/lib/chromium; null when there is none. */
  static Path chromedriver() {
    String env = System.getenv("CNAI_CHROMEDRIVER");
    if (env != null && !env.isBlank()) {
      return Files.isExecutable(Path.of(env)) ? Path.of(env) : null;
    }
    for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/lib/chromium").split(File.pathSeparator)) {
      Path p = Path.of(dir, "chromedriver");
      if (!dir.isEmpty() && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** Why the browser cannot run here, or null when Chromium and its driver are both installed. */
  static String missing() {
    if (HandoutBrowserTest.chromium() == null) {
      return "headless Chromium is not installed (apt-get install chromium chromium-driver, or set CNAI_CHROMIUM)";
    }
    if (chromedriver() == null) {
      return "chromedriver is not installed (apt-get install chromium-driver, or set CNAI_CHROMEDRIVER)";
    }
    return null;
  }

  static LabBrowser start(Path chromium, Path chromedriver) {
    SELENIUM_LOG.setLevel(Level.WARNING);
    DEVTOOLS_LOG.setLevel(Level.SEVERE);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--window-size=1400,900", "--hide-scrollbars");
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1400, 900));
    return new LabBrowser(driver, service);
  }

  /** Opens {@code url} (the lab on a notebook, with the token) and waits until that notebook is on show and its kernel idle. */
  void open(String url, Duration timeout) {
    String file = url.replaceFirst("\\?.*", "").replaceFirst(".*/", "");
    driver.get(url);
    wait(timeout).until(d -> d.findElements(By.cssSelector(".jp-LabShell")).size() == 1);
    wait(timeout).until(d -> file.equals(title()));
    wait(timeout).until(d -> panel() != null && !panel().findElements(By.cssSelector(CODE_CELL)).isEmpty());
    wait(timeout).until(d -> "idle".equals(panel().findElement(By.cssSelector(".jp-Notebook-ExecutionIndicator"))
        .getAttribute("data-status")));
  }

  /** The notebook panel on show (the lab keeps other open notebooks hidden). */
  private WebElement panel() {
    return driver.findElements(By.cssSelector(PANEL)).stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
  }

  /** Saves the notebook on show (Ctrl + S) and waits until its tab is no longer marked as changed. */
  void save() {
    WebElement tab = driver.findElement(By.cssSelector(".lm-DockPanel .lm-TabBar-tab.lm-mod-current"));
    new Actions(driver).keyDown(Keys.CONTROL).sendKeys("s").keyUp(Keys.CONTROL).perform();
    wait(Duration.ofSeconds(30)).until(d -> !tab.getAttribute("class").contains("jp-mod-dirty"));
  }

  /** The notebook's tab title on show. */
  String title() {
    return driver.findElement(By.cssSelector(".lm-DockPanel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")).getText();
  }

  int codeCells() {
    return panel().findElements(By.cssSelector(CODE_CELL)).size();
  }

  private WebElement cell(int codeCell) {
    return panel().findElements(By.cssSelector(CODE_CELL)).get(codeCell);
  }

  /** The text of a code cell's editor as CodeMirror shows it. */
  String source(int codeCell) {
    return cell(codeCell).findElements(By.cssSelector(".cm-content .cm-line")).stream().map(WebElement::getText)
        .collect(Collectors.joining("\n"));
  }

  /** The text of a code cell's outputs as the browser shows them. */
  String output(int codeCell) {
    return cell(codeCell).findElements(By.cssSelector(".jp-OutputArea-output")).stream().map(WebElement::getText)
        .collect(Collectors.joining("\n"));
  }

  int images(int codeCell) {
    return cell(codeCell).findElements(By.cssSelector(".jp-OutputArea-output img")).size();
  }

  /**
   * An empty code cell at the end: the one Shift + Enter on the last cell left there, else a new one
   * (command mode, B); its index.
   */
  int emptyCell() {
    int n = codeCells();
    if (source(n - 1).isEmpty()) {
      return n - 1;
    }
    WebElement last = cell(n - 1);
    last.findElement(By.cssSelector(".jp-InputPrompt")).click();
    new Actions(driver).sendKeys(Keys.ESCAPE).sendKeys("b").perform();
    wait(Duration.ofSeconds(10)).until(d -> codeCells() == n + 1);
    return n;
  }

  /** Clicks into a code cell's editor and types {@code code} over what it held, key by key. */
  void type(int codeCell, String code) {
    WebElement editor = cell(codeCell).findElement(By.cssSelector(".cm-content"));
    editor.click();
    wait(Duration.ofSeconds(10)).until(d -> cell(codeCell).getAttribute("class").contains("jp-mod-focused")
        || editor.equals(d.switchTo().activeElement()));
    new Actions(driver).keyDown(Keys.CONTROL).sendKeys("a").keyUp(Keys.CONTROL).sendKeys(Keys.DELETE).perform();
    editor.sendKeys(code);
  }

  /**
   * Clicks into a code cell, presses Shift + Enter and waits until the cell ran: its earlier outputs
   * gone from the DOM, its prompt a number (not {@code [*]}), and its new outputs matching {@code expected}.
   * Returns the output text read from the DOM.
   */
  String run(int codeCell, Pattern expected, Duration timeout) {
    WebElement cell = cell(codeCell);
    List<WebElement> before = cell.findElements(By.cssSelector(".jp-OutputArea-output"));
    cell.findElement(By.cssSelector(".cm-content")).click();
    new Actions(driver).keyDown(Keys.SHIFT).sendKeys(Keys.ENTER).keyUp(Keys.SHIFT).perform();
    for (WebElement old : before) {
      wait(Duration.ofSeconds(30)).until(ExpectedConditions.stalenessOf(old));
    }
    try {
      wait(timeout).until(d -> {
        String p = cell.findElement(By.cssSelector(".jp-InputPrompt")).getText();
        return p.matches("\\[\\d+\\]:") && expected.matcher(output(codeCell)).find();
      });
    } catch (WebDriverException e) {
      throw new AssertionError("cell " + codeCell + " did not show " + expected + " within " + timeout + "; prompt "
          + cell.findElement(By.cssSelector(".jp-InputPrompt")).getText() + ", output: " + output(codeCell), e);
    }
    return output(codeCell);
  }

  /** Scrolls a code cell's output into view (for the screenshot). */
  void show(int codeCell) {
    ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", cell(codeCell));
  }

  byte[] screenshot() {
    return driver.getScreenshotAs(OutputType.BYTES);
  }

  String dom() {
    return (String) ((JavascriptExecutor) driver).executeScript("return document.documentElement.outerHTML");
  }

  private WebDriverWait wait(Duration timeout) {
    WebDriverWait w = new WebDriverWait(driver, timeout, Duration.ofMillis(200));
    w.ignoring(NoSuchElementException.class);
    w.ignoring(StaleElementReferenceException.class);
    return w;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
