using Microsoft.Playwright;

namespace Sinew.Dashboard.Tests;

/// <summary>
/// Debian's chromium at <c>/usr/bin/chromium</c>, driven by Playwright; never a downloaded browser. When it is absent the
/// browser tests skip and say how to install it.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    /// <summary>Debian's chromium; <c>SINEW_CHROMIUM</c> points elsewhere (a system chromium only, never a downloaded one).</summary>
    public static string ChromiumPath { get; } = Environment.GetEnvironmentVariable("SINEW_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser? Chromium { get; private set; }

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public string? Missing { get; private set; }

    /// <summary>Where screenshots go: the docs when <c>SINEW_DASHBOARD_SCREENSHOTS=1</c>, a temporary folder otherwise.</summary>
    public static string ScreenshotFolder { get; } = Environment.GetEnvironmentVariable("SINEW_DASHBOARD_SCREENSHOTS") == "1"
        ? Path.Combine(SinewProcess.RepoRoot, "docs", "images")
        : Path.Combine(Path.GetTempPath(), "sinew-dashboard-screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            Missing = $"{ChromiumPath} is absent: install Debian's chromium (apt-get install -y --no-install-recommends chromium) to run the browser tests";
            return;
        }
        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>A fresh page (own cookies) on the dashboard, laptop-sized.</summary>
    public async Task<IPage> OpenAsync(Uri baseUrl)
    {
        Assert.SkipWhen(Missing is not null, Missing ?? "");
        var context = await Chromium!.NewContextAsync(new() { BaseURL = baseUrl.ToString(), ViewportSize = new() { Width = 1366, Height = 860 } });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Collects what the page reports as errors from now on (script errors, blocked by the Content-Security-Policy, failed loads).</summary>
    public static List<string> WatchErrors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    // "Failed to load resource" names no URL in its text; the location does.
                    errors.Add($"{message.Text} ({message.Location})");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        return errors;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, name), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
