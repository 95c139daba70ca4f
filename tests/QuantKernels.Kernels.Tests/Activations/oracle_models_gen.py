# Regenerates the single-op models behind OracleTests.cs (run from a copy of shared/oracle after npm install):
#   python3 oracle_models_gen.py && node tflite_wasm_run.js m/NAME.tflite --iters 1 --in DIR --out out/NAME
# Inputs: unary = bytes 0..255; binary = a and b both bytes 0..255; softmax = random.Random(5) 640 bytes.
import json, subprocess, sys, os
CODES = dict(ADD=0, LOGISTIC=14, MUL=18, RELU=19, SOFTMAX=25, TANH=28, SUB=41, PRELU=54, LEAKY_RELU=98, HARD_SWISH=117)
def tensor(name, shape, typ, scale, zp, buf=0):
    return dict(name=name, shape=shape, type=typ, buffer=buf, quantization=dict(scale=[scale], zero_point=[zp]))
def model(name, op, tensors, inputs, outputs, opts_type=None, opts=None, buffers=None):
    o = dict(opcode_index=0, inputs=list(range(len(inputs))), outputs=[len(inputs)])
    o['inputs'] = inputs; o['outputs'] = outputs
    if opts_type: o['builtin_options_type'] = opts_type; o['builtin_options'] = opts
    m = dict(version=3, operator_codes=[dict(deprecated_builtin_code=min(CODES[op],127), builtin_code=CODES[op], version=1)],
             subgraphs=[dict(tensors=tensors, inputs=[i for i in inputs if tensors[i]['buffer']==0], outputs=outputs, operators=[o])],
             buffers=buffers or [dict()])
    open(f'm/{name}.json','w').write(json.dumps(m))
    subprocess.check_call(['flatc','-b','-o','m','/work/shared/tflite/schema_flatc2.fbs',f'm/{name}.json'])


T = lambda u8: 'UINT8' if u8 else 'INT8'
# unary over all 256 values: input [1,256]
def unary(name, op, u8, si, zi, so, zo, opts_type=None, opts=None):
    model(name, op, [tensor('x',[1,256],T(u8),si,zi), tensor('y',[1,256],T(u8),so,zo)], [0], [1], opts_type, opts)
unary('logistic_i8', 'LOGISTIC', False, 0.0625, 3, 1/256, -128)
unary('logistic_u8', 'LOGISTIC', True, 0.05, 120, 1/256, 0)
unary('tanh_i8', 'TANH', False, 0.03, -7, 1/128, 0)
unary('tanh_u8', 'TANH', True, 0.04, 130, 1/128, 128)
unary('lrelu_i8', 'LEAKY_RELU', False, 0.037, 5, 0.021, -11, 'LeakyReluOptions', dict(alpha=0.2))
unary('lrelu_u8', 'LEAKY_RELU', True, 0.037, 131, 0.021, 97, 'LeakyReluOptions', dict(alpha=0.2))
unary('hswish_i8', 'HARD_SWISH', False, 0.05, -5, 0.03, -100)
unary('relu_i8', 'RELU', False, 0.05, -10, 0.03, -128)
# softmax rows
for u8 in (False, True):
    model(f'softmax_{"u8" if u8 else "i8"}', 'SOFTMAX', [tensor('x',[16,40],T(u8),0.07,0 if not u8 else 128), tensor('y',[16,40],T(u8),1/256,0 if u8 else -128)], [0],[1], 'SoftmaxOptions', dict(beta=1.3))
# binary all pairs: a [1,256], b [256,1]
def binary(name, op, u8, sa, za, sb, zb, so, zo, opts_type, opts):
    model(name, op, [tensor('a',[1,256],T(u8),sa,za), tensor('b',[256,1],T(u8),sb,zb), tensor('y',[256,256],T(u8),so,zo)], [0,1],[2], opts_type, opts)
binary('add_i8', 'ADD', False, 0.0179, 3, 0.0311, -20, 0.0213, 7, 'AddOptions', dict(fused_activation_function='NONE'))
binary('sub_i8', 'SUB', False, 0.0179, 3, 0.0311, -20, 0.0213, 7, 'SubOptions', dict(fused_activation_function='NONE'))
binary('mul_i8', 'MUL', False, 0.02, -3, 0.03, 7, 0.004, 2, 'MulOptions', dict(fused_activation_function='NONE'))
binary('mul_u8', 'MUL', True, 0.0156, 128, 0.0223, 117, 0.0021, 131, 'MulOptions', dict(fused_activation_function='RELU6'))
binary('add_u8_relu', 'ADD', True, 0.0156, 128, 0.0223, 117, 0.0301, 131, 'AddOptions', dict(fused_activation_function='RELU'))
# inputs
import random
os.makedirs('in_unary', exist_ok=True); os.makedirs('in_bin', exist_ok=True); os.makedirs('in_soft', exist_ok=True)
open('in_unary/input_0.bin','wb').write(bytes(range(256)))
open('in_bin/input_0.bin','wb').write(bytes(range(256))); open('in_bin/input_1.bin','wb').write(bytes(range(256)))
r = random.Random(5); open('in_soft/input_0.bin','wb').write(bytes(r.randrange(256) for _ in range(640)))
# (second batch, same helpers)
CODES.update(DIV=42, MAXIMUM=55, MINIMUM=57, PRELU=54)
T = lambda u8: 'UINT8' if u8 else 'INT8'
def binary(name, op, u8, sa, za, sb, zb, so, zo, opts_type=None, opts=None):
    model(name, op, [tensor('a',[1,256],T(u8),sa,za), tensor('b',[256,1],T(u8),sb,zb), tensor('y',[256,256],T(u8),so,zo)], [0,1],[2], opts_type, opts)
# scale ratio a/out = 300 > 256: XNNPACK refuses -> TFLite's own add
binary('add_i8_bigratio', 'ADD', False, 3.0, 1, 0.02, -4, 0.01, 5, 'AddOptions', dict(fused_activation_function='NONE'))
# product/out = 400 -> XNNPACK refuses MUL
binary('mul_i8_bigratio', 'MUL', False, 2.0, 1, 2.0, -4, 0.01, 5, 'MulOptions', dict(fused_activation_function='NONE'))
binary('div_u8', 'DIV', True, 0.02, 128, 0.03, 120, 0.05, 100, 'DivOptions', dict(fused_activation_function='NONE'))
binary('max_i8', 'MAXIMUM', False, 0.02, 3, 0.02, 3, 0.02, 3)
# PRELU: x [1,4,64] over all bytes, alpha const [64]
import random
r = random.Random(9); alpha = [r.randrange(256) for _ in range(64)]
model('prelu_i8', 'PRELU', [tensor('x',[1,4,64],'INT8',0.05,-3), tensor('alpha',[64],'INT8',0.01,2,buf=1), tensor('y',[1,4,64],'INT8',0.04,6)], [0,1],[2], None, None, buffers=[dict(), dict(data=alpha)])
print(bytes(alpha).hex())
# softmax with large depth and big input scale: reference and LUT likely differ
model('softmax_i8_wide', 'SOFTMAX', [tensor('x',[2,320],'INT8',0.02,0), tensor('y',[2,320],'INT8',1/256,-128)], [0],[1], 'SoftmaxOptions', dict(beta=1.0))
# (third batch, same helpers)
CODES.update(ABS=101)
model('abs_i8', 'ABS', [tensor('x',[1,256],'INT8',0.05,-7), tensor('y',[1,256],'INT8',0.03,-100)], [0],[1])
model('abs_u8', 'ABS', [tensor('x',[1,256],'UINT8',0.05,130), tensor('y',[1,256],'UINT8',0.05,130)], [0],[1])
# (fourth batch, same helpers)
CODES.update(RELU6=21, RELU_N1_TO_1=20)
model('relu6_i8', 'RELU6', [tensor('x',[1,256],'INT8',0.05,-10),tensor('y',[1,256],'INT8',0.03,-128)], [0],[1])
model('relu6_u8_same', 'RELU6', [tensor('x',[1,256],'UINT8',0.05,100),tensor('y',[1,256],'UINT8',0.05,100)], [0],[1])
model('relun1_i8', 'RELU_N1_TO_1', [tensor('x',[1,256],'INT8',0.01,3),tensor('y',[1,256],'INT8',0.01,3)], [0],[1])
