using System.Net;
using System.Text;

namespace Trm.Rendering;

/// <summary>
/// A refinement trajectory as one self-contained HTML page: every step's picture inlined as a base64 PNG, with a slider,
/// previous / next / play buttons and the arrow keys to move between steps. It loads nothing else; without scripts every
/// step shows, one under another.
/// </summary>
public static class TrajectoryPage
{
    public static string Html(string title, IReadOnlyList<TrajectoryFrame> frames, int delayMilliseconds = TrajectoryImage.DefaultDelayMilliseconds)
    {
        var sheets = TrajectoryImage.Sheets(null, frames, captions: false);
        try
        {
            var html = new StringBuilder();
            html.Append($$"""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <title>{{Encode(title)}}</title>
                <style>
                body { font-family: sans-serif; margin: 1.5em; color: #222; }
                [hidden] { display: none !important; }
                .controls { margin: 0.8em 0; display: flex; gap: 0.6em; align-items: center; }
                .controls input[type=range] { width: 20em; }
                figure.step { margin: 0 0 1em 0; }
                figure.step img { image-rendering: pixelated; display: block; }
                figure.step figcaption { font-size: 0.9em; color: #555; }
                </style>
                </head>
                <body>
                <h1>{{Encode(title)}}</h1>
                <div class="controls" hidden>
                <button id="previous" title="previous step (left arrow)">&#9664;</button>
                <input id="slider" type="range" min="1" max="{{frames.Count}}" value="1" step="1" aria-label="step">
                <button id="next" title="next step (right arrow)">&#9654;</button>
                <button id="play">play</button>
                <span id="position"></span>
                </div>

                """);
            for (int i = 0; i < frames.Count; i++)
            {
                var png = Convert.ToBase64String(sheets[i].EncodePng());
                html.Append($"""<figure class="step" data-step="{i + 1}"><img src="data:image/png;base64,{png}" width="{sheets[i].Width}" height="{sheets[i].Height}" alt="{Encode(frames[i].Caption)}"><figcaption>{Encode(frames[i].Caption)}</figcaption></figure>""");
                html.Append('\n');
            }
            html.Append($$"""
                <script>
                const steps = Array.from(document.querySelectorAll("figure.step"));
                const slider = document.getElementById("slider"), position = document.getElementById("position"), play = document.getElementById("play");
                let timer = null;
                function show(n) {
                  n = Math.min(Math.max(n, 1), steps.length);
                  steps.forEach((s, i) => s.hidden = i !== n - 1);
                  slider.value = n;
                  position.textContent = "step " + n + " of " + steps.length;
                }
                function stop() { clearInterval(timer); timer = null; play.textContent = "play"; }
                slider.addEventListener("input", () => { stop(); show(+slider.value); });
                document.getElementById("previous").addEventListener("click", () => { stop(); show(+slider.value - 1); });
                document.getElementById("next").addEventListener("click", () => { stop(); show(+slider.value + 1); });
                play.addEventListener("click", () => {
                  if (timer) { stop(); return; }
                  if (+slider.value === steps.length) show(1);
                  play.textContent = "pause";
                  timer = setInterval(() => { if (+slider.value >= steps.length) stop(); else show(+slider.value + 1); }, {{delayMilliseconds}});
                });
                document.addEventListener("keydown", e => {
                  if (e.key === "ArrowLeft") { stop(); show(+slider.value - 1); }
                  if (e.key === "ArrowRight") { stop(); show(+slider.value + 1); }
                });
                document.querySelector(".controls").hidden = false;
                show(1);
                </script>
                </body>
                </html>

                """);
            return html.ToString();
        }
        finally
        {
            foreach (var sheet in sheets) sheet.Dispose();
        }
    }

    static string Encode(string text) => WebUtility.HtmlEncode(text);
}
