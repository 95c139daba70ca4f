using System.Runtime.CompilerServices;

namespace QuantKernels.Kernels.Depthwise;

/// <summary>Scalar depthwise row kernel over the same padded row buffers and [tap][Cp] int32 weights (the path under
/// DOTNET_EnableHWIntrinsic=0).</summary>
internal static unsafe class DepthwiseScalar
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row(in DepthwiseRowArgs a)
    {
        int taps = a.TapCount, cp = a.Cp, outC = a.OutC;
        short** tp = a.Taps;
        for (int ox = 0; ox < a.OutputWidth; ox++)
        {
            long pix = (long)ox * a.PixelStep;
            byte* dst = a.Output + (long)ox * outC;
            for (int c = 0; c < outC; c++)
            {
                int acc = a.Bias[c];
                int* w = a.TapWeights + c;
                for (int t = 0; t < taps; t++, w += cp) acc += tp[t][pix + c] * *w;
                dst[c] = (byte)a.Requantize(acc, c);
            }
        }
    }
}
