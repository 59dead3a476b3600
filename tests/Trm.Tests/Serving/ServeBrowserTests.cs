using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Trm.Tests.Training;

namespace Trm.Tests.Serving;

/// <summary>Skipped where Debian's chromium and chromium-driver are not installed, unless TRM_REQUIRE_BROWSER=1 (set by .ci/run, which installs them).</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium", Driver = "/usr/bin/chromedriver";

    public BrowserFactAttribute()
    {
        if (!(File.Exists(Chromium) && File.Exists(Driver)) && Environment.GetEnvironmentVariable("TRM_REQUIRE_BROWSER") != "1")
            Skip = "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver; .ci/run installs them)";
    }
}

/// <summary>
/// The page of a real <c>trm serve</c> process on a tiny model, in headless Chromium: a Sudoku typed with the keyboard, or a maze
/// drawn, solved, and the page shows the answer the API gives.
/// </summary>
[Collection(nameof(SequentialTraining))]
public class ServeBrowserTests(ServeFixture fixture) : IClassFixture<ServeFixture>
{
    [BrowserFact]
    public Task APersonTypesASudokuSolvesItAndSeesTheApisAnswer() => WithPage([], "sudoku model", async (driver, wait, http) =>
    {
        // Type the puzzle into the grid with the keyboard only: digits, '.' for blanks (the cursor moves on), then Enter solves.
        const string puzzle = ".4....3..3....2.";
        var cells = driver.FindElements(By.CssSelector("#sudoku-grid input"));
        Assert.Equal(16, cells.Count);
        cells[0].Click();
        new OpenQA.Selenium.Interactions.Actions(driver).SendKeys(puzzle).Perform();
        Assert.Equal(puzzle, driver.FindElement(By.Id("puzzle-text")).GetAttribute("value"));
        new OpenQA.Selenium.Interactions.Actions(driver).SendKeys(Keys.Enter).Perform();

        var (shown, api) = await AnswerAndApi(driver, wait, http, puzzle);
        Assert.Equal(api.GetProperty("answer").GetString(), shown);
        // What the page shows in its cells is the answer.
        Assert.Equal(shown, string.Concat(driver.FindElements(By.CssSelector("#answer .cell")).Select(c => c.Text)));
    });

    /// <summary>The tiny model's vocabulary (pad and five symbols) is also a 4x4 maze's, so it serves as a maze model for the page.</summary>
    [BrowserFact]
    public Task APersonDrawsAMazeSolvesItAndSeesTheApisAnswer() => WithPage(["--kind", "maze"], "maze model", async (driver, wait, http) =>
    {
        var cells = driver.FindElements(By.CssSelector("#maze-grid .cell"));
        Assert.Equal(16, cells.Count);
        // A tap turns an open cell into a wall; then the keyboard (s start, # or w wall, Space open, g goal; the cursor moves on).
        cells[0].Click();
        Assert.Equal("#", cells[0].GetAttribute("data-cell"));
        new OpenQA.Selenium.Interactions.Actions(driver).SendKeys(Keys.ArrowLeft).SendKeys("s  ##w # # #  #g").Perform();
        const string maze = "S  #\n## #\n # #\n  #G";
        Assert.Equal(maze, driver.FindElement(By.Id("maze-text")).GetAttribute("value"));
        Assert.Equal("row 4, column 4: goal", cells[15].GetAttribute("aria-label"));
        new OpenQA.Selenium.Interactions.Actions(driver).SendKeys(Keys.Enter).Perform();

        var (shown, api) = await AnswerAndApi(driver, wait, http, maze);
        Assert.Equal(api.GetProperty("answer").GetRawText(), shown);
        // The answer's cells as drawn: walls where the answer has '#'.
        var rows = api.GetProperty("answer").EnumerateArray().Select(r => r.GetString()!).ToList();
        var drawn = driver.FindElements(By.CssSelector("#answer .cell")).Select(c => c.GetAttribute("class")!.Contains("wall")).ToList();
        Assert.Equal(string.Concat(rows).Select(ch => ch == '#'), drawn);

        // Pasting text redraws the grid.
        var text = driver.FindElement(By.Id("maze-text"));
        text.Clear();
        text.SendKeys("G\n\n\n   S");
        Assert.Equal("G", cells[0].GetAttribute("data-cell"));
        Assert.Equal("S", cells[15].GetAttribute("data-cell"));
        Assert.Equal(" ", cells[5].GetAttribute("data-cell"));
    });

    /// <summary>Waits for the page's final answer, then checks its status line against the API's answer to the same puzzle.</summary>
    static async Task<(string Shown, JsonElement Api)> AnswerAndApi(ChromeDriver driver, WebDriverWait wait, HttpClient http, string puzzle)
    {
        wait.Until(d => d.FindElement(By.Id("answer")).GetAttribute("data-final") is { Length: > 0 });
        var shown = driver.FindElement(By.Id("answer")).GetAttribute("data-final")!;
        var status = driver.FindElement(By.Id("status")).Text;
        var steps = driver.FindElements(By.CssSelector("#steps li")).Count;
        var api = await (await http.PostAsJsonAsync("/v1/solve", new { puzzle })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(api.GetProperty("steps_used").GetInt32(), steps);
        Assert.Contains(api.GetProperty("solved").GetBoolean() ? "valid" : "not a solution", status);
        Assert.Contains($"{api.GetProperty("steps_used").GetInt32()} of at most", status);
        if (Environment.GetEnvironmentVariable("TRM_SCREENSHOT") is { Length: > 0 } picture) ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(picture);
        return (shown, api);
    }

    /// <summary>A real <c>trm serve</c> on the fixture's model with <paramref name="arguments"/>, its page open in headless Chromium at a
    /// phone's size once the model line says <paramref name="modelLine"/>; then SIGTERM must stop the server with exit 0.</summary>
    async Task WithPage(string[] arguments, string modelLine, Func<ChromeDriver, WebDriverWait, HttpClient, Task> use)
    {
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");   // Selenium Manager must not look for drivers on the network: both paths are given
        int port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "trm.dll"), "serve", "--checkpoint", fixture.Checkpoint.Path, "--urls", url, "--grace", "5" }.Concat(arguments))
            start.ArgumentList.Add(a);
        using var server = Process.Start(start)!;
        var serverOutput = server.StandardOutput.ReadToEndAsync();
        var serverErrors = server.StandardError.ReadToEndAsync();
        using var profile = new TempDirectory();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            await WaitReady(http, server);

            var options = new ChromeOptions { BinaryLocation = BrowserFactAttribute.Chromium };
            options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile.Path}", "--window-size=390,844");
            var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(BrowserFactAttribute.Driver), Path.GetFileName(BrowserFactAttribute.Driver));
            service.HideCommandPromptWindow = true;
            service.SuppressInitialDiagnosticInformation = true;
            using var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
            var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(30));
            driver.Navigate().GoToUrl(url + "/");
            wait.Until(d => d.FindElement(By.Id("model")).Text.Contains(modelLine));
            await use(driver, wait, http);
        }
        finally
        {
            if (!server.HasExited)
            {
                Process.Start("kill", ["-TERM", server.Id.ToString()])!.WaitForExit();
                Assert.True(server.WaitForExit(20_000), "trm serve did not stop within 20 s of SIGTERM");
            }
        }
        Assert.True(server.ExitCode == 0, $"trm serve exited {server.ExitCode}: {await serverErrors}");
        Assert.Contains("stopped", await serverOutput);
    }

    static async Task WaitReady(HttpClient http, Process server)
    {
        for (int i = 0; i < 300; i++)
        {
            if (server.HasExited) throw new InvalidOperationException($"trm serve exited {server.ExitCode}: {await server.StandardError.ReadToEndAsync()}");
            try
            {
                if ((await http.GetAsync("/readyz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("trm serve was not ready within 30 s");
    }

    static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
