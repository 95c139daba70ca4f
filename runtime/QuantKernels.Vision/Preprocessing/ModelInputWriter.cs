using QuantKernels.Kernels;
using QuantKernels.Runtime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace QuantKernels.Vision.Preprocessing;

/// <summary>
/// Resizes an RGB image straight into a model's image input tensor ([1, H, W, 3], float32, uint8 or int8): antialiased
/// bilinear resampling, stretch or letterbox, the model's normalization, then for integer inputs quantization with
/// the tensor's scale and zero point. Not thread-safe; reusing one instance keeps the steady state allocation-free.
/// </summary>
public sealed class ModelInputWriter
{
    private readonly RgbResampler _resampler;
    private float[] _row = [];

    /// <summary>A writer on the default SIMD path (<see cref="Dispatch.Default"/>: the fastest here, or <c>QK_ISA</c>).</summary>
    public ModelInputWriter() : this(null) { }

    /// <summary>A writer on <paramref name="path"/> when given (every path writes the same bytes; tests compare them).</summary>
    /// <exception cref="NotSupportedException">The path cannot run in this process.</exception>
    public ModelInputWriter(IsaPath? path) => _resampler = new RgbResampler(Dispatch.Select(path));

    /// <summary>The ISA path the resampling runs on.</summary>
    public IsaPath Path => _resampler.Path;

    /// <summary>The input size (width, height) of an image tensor [1, H, W, 3]; throws naming the tensor otherwise.</summary>
    public static (int Width, int Height) InputSize(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.Shape;
        if (s.Length != 4 || s[0] != 1 || s[3] != 3 || s[1] <= 0 || s[2] <= 0)
            throw new ArgumentException($"{input} is not an RGB image input [1, height, width, 3]");
        if (input.Type is not (TensorType.Float32 or TensorType.UInt8 or TensorType.Int8))
            throw new ArgumentException($"{input}: image inputs must be float32, uint8 or int8");
        if (input.Type != TensorType.Float32 && !(input.Scale > 0 && float.IsFinite(input.Scale)))
            throw new ArgumentException($"{input}: quantized input has no valid scale ({input.Scale})");
        return (s[2], s[1]);
    }

    /// <summary>Writes <paramref name="image"/> into <paramref name="input"/>; returns where it landed.</summary>
    public ImageTransform Write(Image<Rgb24> image, Tensor input, ModelInputSpec spec)
    {
        ArgumentNullException.ThrowIfNull(image);
        var t = Begin(image.Width, image.Height, input, spec);
        _resampler.AddImage(image);
        Finish(t, input, spec);
        return t;
    }

    /// <summary>Writes a packed RGB24 buffer (rows of 3 * <paramref name="width"/> bytes, top first) into <paramref name="input"/>.</summary>
    public ImageTransform Write(ReadOnlySpan<byte> rgb, int width, int height, Tensor input, ModelInputSpec spec)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"image size {width}x{height} must be positive");
        if ((long)width * height * 3 != rgb.Length)
            throw new ArgumentException($"RGB buffer holds {rgb.Length} bytes; {width}x{height}x3 needs {(long)width * height * 3}", nameof(rgb));
        var t = Begin(width, height, input, spec);
        for (int y = 0; y < height; y++) _resampler.AddRow(y, rgb.Slice(y * width * 3, width * 3));
        Finish(t, input, spec);
        return t;
    }

    private ImageTransform Begin(int width, int height, Tensor input, ModelInputSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Normalization.Validate();
        var (iw, ih) = InputSize(input);
        if (!input.HasStorage) throw new InvalidOperationException($"{input} has no storage; allocate the interpreter's tensors first");
        var t = ImageTransform.Create(width, height, iw, ih, spec.Resize);
        var c = t.Content;
        _resampler.Prepare(width, height, c.Width, c.Height);
        if (_row.Length < iw * 3) _row = new float[iw * 3];
        return t;
    }

    private void Finish(ImageTransform t, Tensor input, ModelInputSpec spec)
    {
        var (cx, cy, cw, ch) = t.Content;
        int iw = t.InputWidth, ih = t.InputHeight;
        var row = _row.AsSpan(0, iw * 3);
        var n = spec.Normalization;
        for (int y = 0; y < ih; y++)
        {
            bool inside = y >= cy && y < cy + ch;
            if (inside && cw == iw)
                _resampler.GetRow(y - cy, row);
            else
            {
                FillPad(row, spec.PadColor);
                if (inside) _resampler.GetRow(y - cy, row.Slice(cx * 3, cw * 3));
            }
            RowStore.Store(_resampler.Lanes, row, n, input, y * iw * 3);
        }
    }

    private static void FillPad(Span<float> row, (byte R, byte G, byte B) pad)
    {
        for (int i = 0; i < row.Length; i += 3)
        {
            row[i] = pad.R;
            row[i + 1] = pad.G;
            row[i + 2] = pad.B;
        }
    }
}
