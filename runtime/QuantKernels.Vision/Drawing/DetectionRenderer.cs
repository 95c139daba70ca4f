using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace QuantKernels.Vision.Drawing;

/// <summary>
/// Draws detections onto an image with our own pixel code (no ImageSharp.Drawing): a rectangle per box, a filled
/// label bar with "label score" in <see cref="BitmapFont"/>, and a dot per keypoint. Line width and font size grow
/// with the image.
/// </summary>
public static class DetectionRenderer
{
    private static readonly Rgb24[] Palette =
    [
        new(230, 25, 75), new(60, 180, 75), new(255, 225, 25), new(0, 130, 200), new(245, 130, 48),
        new(145, 30, 180), new(70, 240, 240), new(240, 50, 230), new(210, 245, 60), new(0, 128, 128),
    ];

    /// <summary>Draws <paramref name="detections"/> onto <paramref name="image"/> in place.</summary>
    public static void Draw(Image<Rgb24> image, IReadOnlyList<Detection> detections)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(detections);
        int shortSide = Math.Min(image.Width, image.Height);
        int line = Math.Max(2, shortSide / 250);
        int scale = Math.Max(1, shortSide / 250);
        foreach (var d in detections)
        {
            var color = Palette[(d.ClassIndex % Palette.Length + Palette.Length) % Palette.Length];
            int x0 = (int)MathF.Round(d.Box.XMin), y0 = (int)MathF.Round(d.Box.YMin);
            int x1 = (int)MathF.Round(d.Box.XMax), y1 = (int)MathF.Round(d.Box.YMax);
            FillRect(image, x0, y0, x1, y0 + line, color);
            FillRect(image, x0, y1 - line, x1, y1, color);
            FillRect(image, x0, y0, x0 + line, y1, color);
            FillRect(image, x1 - line, y0, x1, y1, color);
            foreach (var k in d.Keypoints)
                FillRect(image, (int)k.X - line, (int)k.Y - line, (int)k.X + line + 1, (int)k.Y + line + 1, color);

            string text = FormattableString.Invariant($"{d.Label} {d.Score:0.00}");
            int tw = BitmapFont.Width(text) * scale + 2 * scale, th = (BitmapFont.GlyphHeight + 2) * scale;
            // Above the box when there is room, else inside its top edge.
            int ty = y0 - th >= 0 ? y0 - th : Math.Max(y0, 0);
            int tx = Math.Clamp(x0, 0, Math.Max(image.Width - tw, 0));
            FillRect(image, tx, ty, tx + tw, ty + th, color);
            var ink = color.R * 299 + color.G * 587 + color.B * 114 > 128_000 ? new Rgb24(0, 0, 0) : new Rgb24(255, 255, 255);
            DrawText(image, text, tx + scale, ty + scale, scale, ink);
        }
    }

    /// <summary>Saves an (annotated) image: JPEG for .jpg/.jpeg paths, PNG otherwise.</summary>
    public static void Save(Image<Rgb24> image, string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        using var file = File.Create(path);
        if (ext is ".jpg" or ".jpeg") image.SaveAsJpeg(file, new JpegEncoder { Quality = 90 });
        else image.SaveAsPng(file, new PngEncoder());
    }

    /// <summary>Draws <paramref name="text"/> with its top-left at (x, y), each font pixel a <paramref name="scale"/>-sized square.</summary>
    public static void DrawText(Image<Rgb24> image, string text, int x, int y, int scale, Rgb24 color)
    {
        foreach (char c in text)
        {
            var rows = BitmapFont.Rows(c);
            for (int r = 0; r < BitmapFont.GlyphHeight; r++)
                for (int b = 0; b < BitmapFont.GlyphWidth; b++)
                    if ((rows[r] & (1 << (BitmapFont.GlyphWidth - 1 - b))) != 0)
                        FillRect(image, x + b * scale, y + r * scale, x + (b + 1) * scale, y + (r + 1) * scale, color);
            x += BitmapFont.Advance * scale;
        }
    }

    /// <summary>Fills [x0, x1) x [y0, y1), clipped to the image.</summary>
    public static void FillRect(Image<Rgb24> image, int x0, int y0, int x1, int y1, Rgb24 color)
    {
        x0 = Math.Max(x0, 0); y0 = Math.Max(y0, 0);
        x1 = Math.Min(x1, image.Width); y1 = Math.Min(y1, image.Height);
        if (x0 >= x1 || y0 >= y1) return;
        image.ProcessPixelRows(rows =>
        {
            for (int y = y0; y < y1; y++) rows.GetRowSpan(y)[x0..x1].Fill(color);
        });
    }
}
