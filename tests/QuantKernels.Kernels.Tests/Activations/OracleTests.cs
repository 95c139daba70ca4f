using System.Runtime.InteropServices;
using System.Security.Cryptography;
using QuantKernels.Kernels.Activations;
using QuantKernels.Kernels.Elementwise;
using QuantKernels.Kernels.Quantization;
using Xunit;

namespace QuantKernels.Kernels.Tests.Activations;

/// <summary>
/// Expected bytes from the oracle (real TFLite 0.0.1-alpha.10 wasm with its XNNPACK delegate, shared/oracle), run on
/// single-op models written with flatc from JSON (tensor params as in each test). Unary ops see every raw input byte
/// 0..255 as a [1,256] tensor; binary ops see a = [1,256] of 0..255 and b = [256,1] of 0..255 broadcast to [256,256]
/// (stored as SHA-256 of the 65536 output bytes); softmax sees a [16,40] input (SoftmaxInput) with beta 1.3.
/// The Xnnpack convention must match all of them byte for byte.
/// </summary>
public class OracleTests
{
    private const string LogisticI8 = "f4f8fc0004080c1014181c1f23272a2e3135383b3e4144474a4c4f515456585a5c5e606163656668696a6b6d6e6f707171727374757576767778787879797a7a7a7b7b7b7c7c7c7c7d7d7d7d7d7e7e7e7e7e7e7e7e7e7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f808080808080808080808080808080808080808080808080808080808080808081818181818181818181818181818181818282828282828282828383838383848484848585858686868787888888898a8a8b8b8c8d8e8f8f90919293959697989a9b9d9fa0a2a4a6a8aaacafb1b4b6b9bcbfc2c5c8cbcfd2d6d9dde1e4e8ecf0";
    private const string LogisticU8 = "010101010101010101010101010101010101020202020202020202020303030303030304040404040505050506060606070708080809090a0a0b0b0c0c0d0d0e0f0f101112131314151617181a1b1c1d1f202123242628292b2d2f31333537393b3e404245474a4d4f5255585b5e6164676a6d7073767a7d8083868a8d909396999c9fa2a5a8abaeb1b3b6b9bbbec0c2c5c7c9cbcdcfd1d3d5d7d8dadcdddfe0e1e3e4e5e6e8e9eaebecededeeeff0f1f1f2f3f3f4f4f5f5f6f6f7f7f8f8f8f9f9fafafafafbfbfbfbfcfcfcfcfcfdfdfdfdfdfdfdfefefefefefefefefefeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
    private const string TanhI8 = "1a1e2225292c303336393c3f4245474a4d4f515456585a5c5e5f6163646667686a6b6c6d6e6f707172727374757576767777787879797a7a7a7b7b7b7b7c7c7c7c7d7d7d7d7d7e7e7e7e7e7e7e7e7e7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f808080808080808080808080808080808080818181818181818181818181818181818181828282828282828282838383838384848484858585858686868787888889898a8a8b8b8c8d8e8e8f9091929394959698999a9c9d9fa1a2a4a6a8aaacafb1b3b6b9bbbec1c4c7cacdd0d4d7dbdee2e6e9edf1f5f8fc0004080b0f1317";
    private const string TanhU8 = "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000010101010101010101010101010202020202020203030303040404050505060607070809090a0b0c0d0e0f101112141517191a1c1f212326282b2e3134383b3f43474b4f54585d62676c71767b80858a8f94999ea3a8acb1b5b9bdc1c5c8cccfd2d5d8dadddfe1e4e6e7e9ebeceeeff0f1f2f3f4f5f6f7f7f8f9f9fafafbfbfbfcfcfcfdfdfdfdfefefefefefefeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
    private const string LreluI8 = "f3f4f4f4f5f5f7f9fafcfe0001030507080a0c0e0f11131516181a1c1e1f21232526282a2c2d2f31333436383a3b3d3f41434446484a4b4d4f5152545658595b5d5f6062646668696b6d6f7072747677797b7d7e7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7fc6c7c7c7c8c8c8c9c9c9cacacacbcbcccccccdcdcdcecececfcfcfd0d0d0d1d1d1d2d2d3d3d3d4d4d4d5d5d5d6d6d6d7d7d7d8d8d9d9d9dadadadbdbdbdcdcdcdddddddededfdfdfe0e0e0e1e1e1e2e2e2e3e3e3e4e4e4e5e5e6e6e6e7e7e7e8e8e8e9e9e9eaeaeaebebecececedededeeeeeeefefeff0f0f0f1f1f1f2f2f3f3";
    private const string LreluU8 = "333334343435353536363637373838383939393a3a3a3b3b3b3c3c3c3d3d3d3e3e3f3f3f40404041414142424243434344444545454646464747474848484949494a4a4b4b4b4c4c4c4d4d4d4e4e4e4f4f4f505050515152525253535354545455555556565657575858585959595a5a5a5b5b5b5c5c5c5d5d5d5e5e5f5f5f6060606161636566686a6c6d6f71737476787a7b7d7f81828486888a8b8d8f9192949698999b9d9fa0a2a4a6a7a9abadafb0b2b4b6b7b9bbbdbec0c2c4c5c7c9cbccced0d2d4d5d7d9dbdcdee0e2e3e5e7e9eaeceef0f1f3f5f7f9fafcfeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
    private const string HswishI8 = "a1a1a3a4a5a6a7a8a9aaacadaeafb1b2b4b5b7b8babbbdbec0c2c3c5c7c8caccced0d2d4d6d8dadcdee0e2e4e6e8ebedeff1f4f6f9fbfe0002030507080a0c0d0f1112141617191b1c1e2021232526282a2b2d2f3032343537393a3c3e3f4143444648494b4d4e5052535557585a5c5d5f6162646667696b6c6e7071737576789c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9b9a9a99989797969695959494939392929291919190909090909090908f90909090909090909191919192929393949495959696979798999a9a9b9c9d9e9fa0";
    private const string ReluI8 = "9192949697999b9c9ea0a1a3a5a6a8aaabadafb0b2b4b5b7b9babcbebfc1c3c4c6c8c9cbcdced0d2d3d5d7d8dadcdddfe1e2e4e6e7e9ebeceef0f1f3f5f6f8fafbfdff0002040507090a0c0e0f1113141618191b1d1e2022232527282a2c2d2f3132343637393b3c3e4041434546484a4b4d4f5052545557595a5c5e5f616364808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808082838587888a8c8d8f";
    private const string SoftmaxI8 = "80808080c08081808080bb8080c0808e8080838081808080808080808a8e8181808086888386808080808085828080808080808080808080808c8080888080808080808080808080808a9481468080808080808080808080a7808082808080808080898083808084808080801a808080808280808080a781878082a680808f8080808b80a680808080808080808e8380bc8080c281808080808080808080808080808f808080808080808080808080808b8080808389a580808080808a80808080a2868090e4908080c784808180808980918080808080809afa80808080808080808080808080808081808080808183808092818080808080808180808080c28080808080838080808080808080808081808081802480808180808080f38080fe8080828080808080808080808080808080808180808080808a808080808080809a808080808080808080828680808083808080f9808080808080808080808181cd80818080838e888083809e80808080808080808180808080808080808081808280a88080d2808081d2808080868180808080808080d480808080808080808180a980808098818080c680808080808180808080809c8580808080808fa098808080808080808080808080809484848080808083808080858014808080808080808080808180808080cb82808c80b48080808086808080808082d284918080808080808080838080808080c380808080d8808080808080808080808089848087b8808080808280968080808080808080808099808180808080808080808080c58080c5808080d280888080808080808080808080808180808080808081808080898280808080808080808180818080808029808180ab808080878780808a83";
    private const string SoftmaxU8 = "0001005e0000000001710002000000000600000300000023000000000000000000000000000002000000030000000000000000000000004a00004a2f00000000000200040001001300000000001e0000001c00000000070000000000000000000000000000004b0000000200000000150400000076000000000100000300000002000008000827001b0000110100000000430000002f0000000000000000230000000000470000002d00000000000400001800000000000055000005000600000000000f0000000037000000000000005e0000042a0001000000010000020003000100000000000000000503002d00000019000000000000000000000003030035001c00000000003f0001000000300000190000050000000000001c00001600002d00000000361800000000000000000e0000000000000a00000003021f00180100001500000005001c000000255c00000300000000000000000400013a000000000000000600000003000000000001000000000200000800006e6e00010000000000000000000000000000150100000000000000001500011e440000000100000600000076000001000000000001010000000800000000010000000000000000412d0000041a0004001612000000000000011a00000000000000002d0000000000001934000000001700000000000000020000002c0000002c0000000000080000210015030000000000000042001b000000570100000001080000000000010000000000000000000006003703000000000e000000004600000200000000280000050000006e00000000000000040001000000000a0000000800000100000000000000df000000000000000000000d00000009000000000000000000000000";
    private const string SoftmaxInput = "82b70eee7f1a5039bef07ec2347f066ed08f5dc7512447e3404300026b6e545594a065685d64c4980bb8d4544a8721a99a01ad219eb59cf6a15ef6f15a1d830bb7ce09d6bbc004e7175c643c7decb0b580ec37bc9712dd2e6aaeb94bae8d2f9fa29c5a284c9ef7521829cf1079b080e9d74a1c10fcab6a4243d33656debe4c1ed79648e856e8f9a2f58c95f0ce4b39c15bffad5c2dfb8bb820b6119cba8ff88796ae5b05f280a68ced93b6b28cb0d1b358e6baab485565b9f49028d557d79a8a0e6451e15c705c15f173541b4438a25cf76312d4eeb3c2246879bf00b3cf8ed13abf129a3097ad96b442d6d1bdef4850c3f465442eb300c337a648a6c0dbdd73fc95f5c2c451859afe80d40aa39dfb9249f40c3ee37d961445c806f58c7cf2127dfa894f9296fcf33c08409990ac970dedb3b843120181e9376107dbdaf6c5f3c86497ee219b01dd92f19f4954f4fea94ed9182375882b200daadb23cff9193f3e70384495e04c5d5ed352226d1637c2248f1d3ccc4405dd2ea1fafab4bf1c46964d947086207882914478bee8c75b4309ae2b122e3fe87ac7ecf5a5370fc41b4ddb723b2afb6c47c0b57894aab2c5c145b797ddb9126e5cca203112105f676414faf6b200daf099dba5eeec33624f5124bfc5f04d82388e52927810f610b0bca11e0be9f14f3ca695e87a5311660c7628cdba9f5eefb99022ef537b596a16dc8a03ec1fe7d2561711b3302479fb2ff11b7c19fecb1e1882d0e49c1a13635bce60772ba0372c52266d08e1b7f9d8c043069de5723b479ff72c86cea0434229f17d2bdb7d8d1ffc7f186692bf3224d7a0c20092430ee2490918da8936c342a4219c564686fea59211200e0e3e1942b6df840876db40b967a9b706535330895749";
    private const string AddI8Sha256 = "a6bcb0762fe4d1743f3e71920b6c548e9ac963926e0eb0ca5fb21852683f4a32";
    private const string SubI8Sha256 = "26dee2934fb70735c3f6eecf1442927db4a1ccac034f90ad5dd4ef8217c8c771";
    private const string MulI8Sha256 = "e5cfe78ad603791a9ac8557aa34dbcc47f98e824a9033119bee7d42aaea6f5e4";
    private const string MulU8Sha256 = "fd0944d055342ca210e1a86101a9d384d7c224e62c31f33df77cca541cac2547";
    private const string AddU8ReluSha256 = "9f5f91824c7bc9fdb7ca4d613776252c47f6dcdce4f0280346948cbbc292c0c4";

    private const string AddI8BigratioSha256 = "c306b8ffc756f40d8c060f5e4a03d0fcd0815167465893411fc3e3b551e79617";
    private const string MulI8BigratioSha256 = "0f608cded5ef81602c3d5aad47eaa3c0a1af00c0923d854e075f083500f6215d";
    private const string MaxI8Sha256 = "2bc74187e210de717e7198a71f7f103cffa1d027db920cab8373e3d2e3d57bcc";
    private const string DivU8NoZeroRowSha256 = "5cfe905cbee94d7c6f07b4ce81f1bbc956ea620ec1c7f5268766c588bf82361e";
    private const string SoftmaxI8Wide = "80808080858182818080858081858083808082808281828081818080838382828080838382838080808080828280818080808081808080808082808082818080808080808080808081828381858080808080818080818081838080828080818080808281828080828181808184808080808281818080838181808182808082818080828082808080808080808082818082808082818080808180818080808080808082808080808080808080808080808280808082828380808081808280808080838280828482818084828181818082808381808080808183848080808080808180818081808080808180808080828280808381818080808180828080808084808080808082808080808080808080808280808180858081818080808084808185808082808080808180818080808080808080818180808081838080808080808082808081808080808080818280808082808181838081818080808180808181818381818080818282808281838181808180818180818080818080808080818180828083808184808081848080808281808081808181808480808080818080818280838181808381808084808080808081808080808083828081818080828382808080808080808080808080818282828180808082808180828084808080808080818080808281808080848280828083818080808280808081808284828381808080808180808281808081818480818081848180808181808080808180828280828381808181828183808080808080818080808381818080818080808181818084818084808180848182808081818080808080818080818081808081808180818082818080808080818080818181808080808380818083808080828281808281";
    private const string PreluI8 = "0a0b0c0e0f10111314151618191a1b1d1e1f20222324252728292a2c2d2e2f31323334363738393b3c3d3e40414243454647484a4b4c4d4f50515254555657595a5b5c5e5f60616364656668696a6b6d6e6f70727374757778797a7c7d7e7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f276e7f9e80047f25cd7fec618f2c409b9480e6beb1df56c67f86803bd37f89477f67ef95063bea4c0dbefc8c30cf07cba7a65904e1cb01e209b22aeb33b9e3ce163860d5c4054014ec3ffb2ed3161fd9d7c5f9eae5f724ee38d8d518f537dd1b3023ffe50614ff1808f504eb0ffb06fbf6f7120601ff05030601080507060709";
    private const string PreluAlpha = "edbf88465f03aded29ab14c256e7d85056791a384320c434956872d72c886bcb8fae166602d21cc1fb470c79d939013e6567a9042a44082bfe65d723cb622f4a";

    private const string AbsI8 = "a8a9abadaeb0b2b3b5b7b8babcbdbfc1c2c4c6c7c9cbccced0d1d3d5d6d8dadbdddfe0e2e4e5e7e9eaeceeeff1f3f4f6f8f9fbfdfe0002030507080a0c0d0f1112141617191b1c1e2021232526282a2b2d2f3032343537393a3c3e3f4143444648494b4d4e5052535557585a5c5d5f6162646667696b6c6e7071737576787a7b666462615f5d5c5a5857555352504e4d4b4948464443413f3e3c3a3937353432302f2d2b2a2826252321201e1c1b1917161412110f0d0c0a080705030200fefdfbf9f8f6f4f3f1efeeeceae9e7e5e4e2e0dfdddbdad8d6d5d3d1d0cecccbc9c7c6c4c2c1bfbdbcbab8b7b5b3b2b0aeadaba9a8a6a4a3a19f9e9c9e9fa1a3a4a6";

    private const string Relu6I8 = "9192949697999b9c9ea0a1a3a5a6a8aaabadafb0b2b4b5b7b9babcbebfc1c3c4c6c8c9cbcdced0d2d3d5d7d8dadcdddfe1e2e4e6e7e9ebeceef0f1f3f5f6f8fafbfdff0002040507090a0c0e0f1113141618191b1d1e2022232527282a2c2d2f3132343637393b3c3e4041434546484848484848484848484848484848484848808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808082838587888a8c8d8f";
    private const string Relu6U8Same = "646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646464646465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdc";
    private const string ReluN1To1I8 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60616263646566676767676767676767676767676767676767676767676767679f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

    private static readonly sbyte[] AllI8 = Enumerable.Range(0, 256).Select(v => (sbyte)(byte)v).ToArray();
    private static readonly byte[] AllU8 = Enumerable.Range(0, 256).Select(v => (byte)v).ToArray();
    private static byte[] Raw<T>(T[] a) where T : unmanaged => MemoryMarshal.AsBytes(a.AsSpan()).ToArray();
    private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();
    private static string Sha(byte[] b) => Convert.ToHexString(SHA256.HashData(b)).ToLowerInvariant();

    private static string LutI8(Action<Memory<byte>> prepare)
    {
        var t = new byte[256];
        prepare(t);
        var y = new sbyte[256];
        QuantizedLut.Apply<sbyte>(t, AllI8, y);
        return Hex(Raw(y));
    }

    private static string LutU8(Action<Memory<byte>> prepare)
    {
        var t = new byte[256];
        prepare(t);
        var y = new byte[256];
        QuantizedLut.Apply<byte>(t, AllU8, y);
        return Hex(y);
    }

    private const RequantConvention X = RequantConvention.Xnnpack;

    [Fact]
    public void LogisticAndTanh()
    {
        Assert.Equal(LogisticI8, LutI8(t => QuantizedActivations.PrepareLogistic<sbyte>(X, 0.0625f, 3, t.Span)));
        Assert.Equal(LogisticU8, LutU8(t => QuantizedActivations.PrepareLogistic<byte>(X, 0.05f, 120, t.Span)));
        Assert.Equal(TanhI8, LutI8(t => QuantizedActivations.PrepareTanh<sbyte>(X, 0.03f, -7, t.Span)));
        Assert.Equal(TanhU8, LutU8(t => QuantizedActivations.PrepareTanh<byte>(X, 0.04f, 130, t.Span)));
    }

    [Fact]
    public void LeakyReluHardSwishRelu()
    {
        Assert.Equal(LreluI8, LutI8(t => QuantizedActivations.PrepareLeakyRelu<sbyte>(X, 0.2f, 0.037f, 5, 0.021f, -11, t.Span)));
        Assert.Equal(LreluU8, LutU8(t => QuantizedActivations.PrepareLeakyRelu<byte>(X, 0.2f, 0.037f, 131, 0.021f, 97, t.Span)));
        Assert.Equal(HswishI8, LutI8(t => QuantizedActivations.PrepareHardSwish<sbyte>(X, 0.05f, -5, 0.03f, -100, t.Span)));
        Assert.Equal(ReluI8, LutI8(t => QuantizedActivations.PrepareRelu<sbyte>(FusedActivation.Relu, 0.05f, -10, 0.03f, -128, t.Span)));
    }

    [Fact]
    public void SoftmaxLookupTable()
    {
        var input = Convert.FromHexString(SoftmaxInput);
        var table = new float[Softmax.TableSize];
        var p8 = Softmax.Prepare<sbyte>(X, 0.07f, 1.3f, 1f / 256f, -128, table);
        var y8 = new sbyte[640];
        Softmax.Quantized<sbyte>(p8, table, input.Select(b => (sbyte)b).ToArray(), y8, 40);
        Assert.Equal(SoftmaxI8, Hex(Raw(y8)));
        var pu = Softmax.Prepare<byte>(X, 0.07f, 1.3f, 1f / 256f, 0, table);
        var yu = new byte[640];
        Softmax.Quantized<byte>(pu, table, input, yu, 40);
        Assert.Equal(SoftmaxU8, Hex(yu));
    }

    private static readonly int[] Sa = { 1, 256 }, Sb = { 256, 1 }, So = { 256, 256 };

    [Fact]
    public void AddSubAllPairs()
    {
        var o8 = new sbyte[65536];
        QuantizedAdd.Invoke<sbyte>(QuantizedAdd.Prepare<sbyte>(X, 0.0179f, 3, 0.0311f, -20, 0.0213f, 7), Sa, AllI8, Sb, AllI8, So, o8);
        Assert.Equal(AddI8Sha256, Sha(Raw(o8)));
        QuantizedAdd.Invoke<sbyte>(QuantizedAdd.Prepare<sbyte>(X, 0.0179f, 3, 0.0311f, -20, 0.0213f, 7, subtract: true), Sa, AllI8, Sb, AllI8, So, o8);
        Assert.Equal(SubI8Sha256, Sha(Raw(o8)));
        var ou = new byte[65536];
        QuantizedAdd.Invoke<byte>(QuantizedAdd.Prepare<byte>(X, 0.0156f, 128, 0.0223f, 117, 0.0301f, 131, FusedActivation.Relu), Sa, AllU8, Sb, AllU8, So, ou);
        Assert.Equal(AddU8ReluSha256, Sha(ou));
    }

    [Fact]
    public void MulAllPairs()
    {
        var o8 = new sbyte[65536];
        QuantizedMul.Invoke<sbyte>(QuantizedMul.Prepare<sbyte>(X, 0.02f, -3, 0.03f, 7, 0.004f, 2), Sa, AllI8, Sb, AllI8, So, o8);
        Assert.Equal(MulI8Sha256, Sha(Raw(o8)));
        var ou = new byte[65536];
        QuantizedMul.Invoke<byte>(QuantizedMul.Prepare<byte>(X, 0.0156f, 128, 0.0223f, 117, 0.0021f, 131, FusedActivation.Relu6), Sa, AllU8, Sb, AllU8, So, ou);
        Assert.Equal(MulU8Sha256, Sha(ou));
    }

    [Fact]
    public void ReferenceMulDiffersFromOracle()
    {
        // Documents why the conventions exist: TFLite's reference MUL (gemmlowp double rounding) is not what the oracle computes.
        var o8 = new sbyte[65536];
        QuantizedMul.Invoke<sbyte>(QuantizedMul.Prepare<sbyte>(RequantConvention.Reference, 0.02f, -3, 0.03f, 7, 0.004f, 2), Sa, AllI8, Sb, AllI8, So, o8);
        Assert.NotEqual(MulI8Sha256, Sha(Raw(o8)));
    }
    [Fact]
    public void FallbacksOutsideXnnpackScaleRangeMatchTflitesOwnKernels()
    {
        // a/out = 300 (ADD) and a*b/out = 400 (MUL) are outside XNNPACK's ranges: TFLite runs its own kernels.
        var pa = QuantizedAdd.Prepare<sbyte>(X, 3.0f, 1, 0.02f, -4, 0.01f, 5);
        Assert.Equal(RequantConvention.Reference, pa.Convention);
        var o8 = new sbyte[65536];
        QuantizedAdd.Invoke<sbyte>(pa, Sa, AllI8, Sb, AllI8, So, o8);
        Assert.Equal(AddI8BigratioSha256, Sha(Raw(o8)));
        var pm = QuantizedMul.Prepare<sbyte>(X, 2.0f, 1, 2.0f, -4, 0.01f, 5);
        Assert.Equal(RequantConvention.Reference, pm.Convention);
        QuantizedMul.Invoke<sbyte>(pm, Sa, AllI8, Sb, AllI8, So, o8);
        Assert.Equal(MulI8BigratioSha256, Sha(Raw(o8)));
        QuantizedMinMax.Invoke<sbyte>(true, Sa, AllI8, Sb, AllI8, So, o8);
        Assert.Equal(MaxI8Sha256, Sha(Raw(o8)));
    }

    [Fact]
    public void DivUInt8AllPairsIncludingShiftOverflow()
    {
        // uint8 DIV (0.02, 128) / (0.03, 120) -> (0.05, 100); the divisor's zero-point row (b = 120) is excluded
        // (TFLite computes garbage there; we throw).
        var p = QuantizedDiv.Prepare(X, 0.02f, 128, 0.03f, 120, 0.05f, 100);
        var o = new byte[255 * 256];
        int k = 0;
        for (int b = 0; b < 256; b++)
        {
            if (b == 120) continue;
            for (int a = 0; a < 256; a++) o[k++] = (byte)QuantizedDiv.Element(p, a, b);
        }
        Assert.Equal(DivU8NoZeroRowSha256, Sha(o));
        // Reference convention rounds the tiny quotients sanely instead (x = 2 / y = -120 -> real 99.78 -> 100).
        var r = QuantizedDiv.Prepare(RequantConvention.Reference, 0.02f, 128, 0.03f, 120, 0.05f, 100);
        Assert.Equal(100, QuantizedDiv.Element(r, 130, 0));
        Assert.Equal(0, QuantizedDiv.Element(p, 130, 0));
    }

    [Fact]
    public void SoftmaxWideRowsAndPrelu()
    {
        var input = Convert.FromHexString(SoftmaxInput).Select(b => (sbyte)b).ToArray();
        var table = new float[Softmax.TableSize];
        var ps = Softmax.Prepare<sbyte>(X, 0.02f, 1f, 1f / 256f, -128, table);
        var y = new sbyte[640];
        Softmax.Quantized<sbyte>(ps, table, input, y, 320);
        Assert.Equal(SoftmaxI8Wide, Hex(Raw(y)));

        // PRELU int8: x (0.05, -3) [1,4,64] = all bytes, alpha (0.01, 2) [64] constant, out (0.04, 6).
        var alpha = Convert.FromHexString(PreluAlpha).Select(b => (sbyte)b).ToArray();
        var pp = QuantizedPrelu.Prepare<sbyte>(0.05f, -3, 0.01f, 2, 0.04f, 6);
        var op = new sbyte[256];
        QuantizedPrelu.Invoke<sbyte>(pp, new[] { 1, 4, 64 }, AllI8, new[] { 64 }, alpha, new[] { 1, 4, 64 }, op);
        Assert.Equal(PreluI8, Hex(Raw(op)));
    }
    [Fact]
    public void AbsInt8()
        // ABS int8 (0.05, -7) -> (0.03, -100). The oracle's TFLite rejects uint8 ABS, so only int8 is pinned here.
        => Assert.Equal(AbsI8, LutI8(t => QuantizedActivations.PrepareAbs<sbyte>(0.05f, -7, 0.03f, -100, t.Span)));
    [Fact]
    public void Relu6AndReluN1To1()
    {
        Assert.Equal(Relu6I8, LutI8(t => QuantizedActivations.PrepareRelu<sbyte>(FusedActivation.Relu6, 0.05f, -10, 0.03f, -128, t.Span)));
        Assert.Equal(Relu6U8Same, LutU8(t => QuantizedActivations.PrepareRelu<byte>(FusedActivation.Relu6, 0.05f, 100, 0.05f, 100, t.Span)));
        Assert.Equal(ReluN1To1I8, LutI8(t => QuantizedActivations.PrepareRelu<sbyte>(FusedActivation.ReluN1To1, 0.01f, 3, 0.01f, 3, t.Span)));
    }
}
