using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace QuantKernels.Vision.Tests;

/// <summary>EXIF orientation is applied on load, so boxes are in the pixels a viewer shows.</summary>
public class ExifOrientationTests
{
    [Fact]
    public void Orientation_6_rotates_the_image_upright()
    {
        // 40x20, left half red, right half blue; orientation 6 means "rotate 90 degrees clockwise to display".
        using var source = new Image<Rgb24>(40, 20);
        for (int y = 0; y < 20; y++)
            for (int x = 0; x < 40; x++)
                source[x, y] = x < 20 ? new Rgb24(255, 0, 0) : new Rgb24(0, 0, 255);
        source.Metadata.ExifProfile = new ExifProfile();
        source.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        var png = new MemoryStream();
        source.SaveAsPng(png);

        using var loaded = new ImageLoader().Load(png.ToArray(), "rotated.png");

        Assert.Equal((20, 40), (loaded.Width, loaded.Height));
        // After a clockwise quarter turn the left (red) half is on top.
        Assert.True(loaded[10, 5].R > 200 && loaded[10, 5].B < 50, $"top pixel {loaded[10, 5]}");
        Assert.True(loaded[10, 35].B > 200 && loaded[10, 35].R < 50, $"bottom pixel {loaded[10, 35]}");
    }
}
