using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace QuantKernels.Kernels.Convolution;

/// <summary>
/// Requantizes 8 int32 accumulators (one row of an 8-channel block) to 8 bytes on ARM64, exactly as the scalar
/// reference in either convention:
/// <list type="bullet">
/// <item>fp32: <c>SCVTF</c>, <c>FMUL</c>, clamp with <c>FMAX</c>/<c>FMIN</c>, <c>FCVTNS</c> (round half to even, the
/// reference's <c>MidpointRounding.ToEven</c>), add the zero point.</item>
/// <item>fixed point: <c>SSHL</c> by the left shift (wraps like <c>x * (1 &lt;&lt; left)</c>), <c>SQRDMULH</c> (which is
/// gemmlowp's SaturatingRoundingDoublingHighMul bit for bit: floor((2ab + 2^31) / 2^32), saturating only
/// INT32_MIN*INT32_MIN), then RoundingDivideByPOT as gemmlowp's NEON code does it: add -1 to negative values when
/// shifting (<c>SQADD</c> of the sign), then the rounding shift <c>SRSHL</c> by -right (rounds half up, so ties of
/// negative values go away from zero); add the zero point and clamp.</item>
/// </list>
/// </summary>
internal readonly unsafe struct RequantizeArm64
{
    private readonly Vector128<float> _s0, _s1, _lo, _hi;
    private readonly Vector128<int> _m0, _m1, _l0, _l1, _r0, _r1, _zp, _min, _max;
    private readonly bool _fp32;

    /// <summary>Loads the parameters of channels n0..n0+7 (the per-channel arrays are padded to whole blocks).</summary>
    public RequantizeArm64(in GemmArgs c, int n0, bool fp32)
        : this(c.Scales + n0, c.Multipliers + n0, c.LeftShifts + n0, c.RightShifts + n0,
            c.OutputZeroPoint, c.OutputMin, c.OutputMax, fp32)
    {
    }

    /// <summary>Loads 8 channels' parameters from the given per-channel arrays (at least 8 readable values each).</summary>
    public RequantizeArm64(float* scales, int* multipliers, int* leftShifts, int* rightShifts,
        int outputZeroPoint, int outputMin, int outputMax, bool fp32)
    {
        _fp32 = fp32;
        _zp = Vector128.Create(outputZeroPoint);
        if (fp32)
        {
            _s0 = Vector128.Load(scales);
            _s1 = Vector128.Load(scales + 4);
            _lo = Vector128.Create((float)(outputMin - outputZeroPoint));
            _hi = Vector128.Create((float)(outputMax - outputZeroPoint));
        }
        else
        {
            _m0 = Vector128.Load(multipliers);
            _m1 = Vector128.Load(multipliers + 4);
            _l0 = Vector128.Load(leftShifts);
            _l1 = Vector128.Load(leftShifts + 4);
            _r0 = -Vector128.Load(rightShifts);
            _r1 = -Vector128.Load(rightShifts + 4);
            _min = Vector128.Create(outputMin);
            _max = Vector128.Create(outputMax);
        }
    }

    /// <summary>8 accumulators (channels 0-3 in <paramref name="a0"/>, 4-7 in <paramref name="a1"/>) to 8 output bytes
    /// (int8 or uint8: the values are already inside the output type's range, so truncating narrows are exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector64<byte> Apply(Vector128<int> a0, Vector128<int> a1)
    {
        Vector128<int> q0, q1;
        if (_fp32)
        {
            q0 = Fp32(a0, _s0);
            q1 = Fp32(a1, _s1);
        }
        else
        {
            q0 = AdvSimd.Min(AdvSimd.Max(Fixed(a0, _m0, _l0, _r0) + _zp, _min), _max);
            q1 = AdvSimd.Min(AdvSimd.Max(Fixed(a1, _m1, _l1, _r1) + _zp, _min), _max);
        }
        Vector128<short> s = AdvSimd.ExtractNarrowingUpper(AdvSimd.ExtractNarrowingLower(q0), q1);
        return AdvSimd.ExtractNarrowingLower(s.AsUInt16());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<int> Fp32(Vector128<int> acc, Vector128<float> scale)
    {
        Vector128<float> f = AdvSimd.Multiply(AdvSimd.ConvertToSingle(acc), scale);
        f = AdvSimd.Min(AdvSimd.Max(f, _lo), _hi);
        return AdvSimd.ConvertToInt32RoundToEven(f) + _zp;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Fixed(Vector128<int> x, Vector128<int> m, Vector128<int> left, Vector128<int> negRight)
    {
        x = AdvSimd.ShiftLogical(x, left);
        x = AdvSimd.MultiplyRoundedDoublingSaturateHigh(x, m);
        // -1 where x < 0 and the shift is non-zero (negRight < 0): both sign bits set.
        Vector128<int> fixup = AdvSimd.ShiftRightArithmetic(x & negRight, 31);
        return AdvSimd.ShiftArithmeticRounded(AdvSimd.AddSaturate(x, fixup), negRight);
    }

    /// <summary>Requantizes and stores the first <c>c.Rows</c> rows of a 6x8 tile (row r: <c>cR0</c> channels 0-3, <c>cR1</c> 4-7)
    /// at output channel <paramref name="n0"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreTile(in GemmArgs c, int n0, bool fp32,
        Vector128<int> c00, Vector128<int> c01, Vector128<int> c10, Vector128<int> c11, Vector128<int> c20, Vector128<int> c21,
        Vector128<int> c30, Vector128<int> c31, Vector128<int> c40, Vector128<int> c41, Vector128<int> c50, Vector128<int> c51)
    {
        var q = new RequantizeArm64(in c, n0, fp32);
        int rows = c.Rows, n = c.N, valid = Math.Min(PackedInt8GemmArm64.NR, n - n0);
        byte* o = c.Output + n0;
        Store(q.Apply(c00, c01), o, valid);
        if (rows > 1) Store(q.Apply(c10, c11), o + n, valid);
        if (rows > 2) Store(q.Apply(c20, c21), o + 2 * n, valid);
        if (rows > 3) Store(q.Apply(c30, c31), o + 3 * n, valid);
        if (rows > 4) Store(q.Apply(c40, c41), o + 4 * n, valid);
        if (rows > 5) Store(q.Apply(c50, c51), o + 5 * n, valid);
    }

    /// <summary>Requantizes and stores one row of 8 channels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreRow(in GemmArgs c, int r, int n0, bool fp32, Vector128<int> a0, Vector128<int> a1)
        => Store(new RequantizeArm64(in c, n0, fp32).Apply(a0, a1), c.Output + r * c.N + n0, Math.Min(PackedInt8GemmArm64.NR, c.N - n0));

    /// <summary>Stores the first <paramref name="valid"/> (1..8) bytes of <paramref name="v"/>.
    /// No calls here: a call after a microkernel's loop makes the JIT keep the accumulators in stack slots (the upper
    /// halves of v8-v15 are not preserved across calls) and spill them at every loop iteration.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector64<byte> v, byte* dst, int valid)
    {
        if (valid == 8)
        {
            v.Store(dst);
            return;
        }
        ulong bits = v.AsUInt64().ToScalar();
        for (int j = 0; j < valid; j++, bits >>= 8) dst[j] = (byte)bits;
    }
}
