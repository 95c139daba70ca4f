namespace QuantKernels.Kernels.Layout;

/// <summary>A 4-D NHWC shape (batch, height, width, channels).</summary>
public readonly record struct Nhwc(int N, int H, int W, int C)
{
    /// <summary>Number of elements, N*H*W*C (checked against overflow).</summary>
    public int ElementCount => checked(N * H * W * C);

    /// <summary>Throws <see cref="ArgumentException"/> when any dimension is negative.</summary>
    public void Validate(string name)
    {
        if (N < 0 || H < 0 || W < 0 || C < 0)
            throw new ArgumentException($"{name} shape {this} has a negative dimension", name);
    }

    /// <summary>Flat index of (n, y, x, c).</summary>
    public int Offset(int n, int y, int x, int c) => ((n * H + y) * W + x) * C + c;
}
