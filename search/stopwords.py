"""The words a query is read without: question words and particles, the words
that only say what kind of answer is wanted, and question phrases (used by
search.analysis.plan_query)."""

# Question words and particles: they say how a talent asks, not what about.
# The hall's own list; search.analysis adds stopwords-iso's Chinese list.
HALL_STOPWORDS = frozenset(
    "的 了 吗 呢 啊 吧 和 与 及 或 在 是 我 我们 你 要 想 能 能否 可以 可否 是否 "
    "如何 怎么 怎样 怎么样 什么 哪些 哪里 哪个 多少 需要 有 有没有 关于 请问 "
    "一下 那 这 对 给 该 去 到 之 其 怎么办 咋 咋办 啥 哪儿 哪家 多久 不能 "
    "领 办 弄 还 还能 没有 有什么 什么样 哪种 几 吗 么 呀 嘛 行不行 行吗 可不可以 "
    "能不能 会不会 应该 应当 怎么样 有用 有啥 啥样 享受 咨询 问 问一下 想问 能领 可以领 "
    "能拿 能享受 可以享受 能办 可以办 能申请 要不要 几年 几天 几个 几个月 多长 多大 "
    "多高 多远 哪年 哪天 里 里面 上面 一般 "
    # How people ask in speech: who, where, whether, how much, and the "my family"
    # and "over here" that say who asks, not what about.
    "为啥 怎样才能 才能 才可以 必须 大概 大约 到底 究竟 已经 刚刚 能够 哪些人 什么人 "
    "谁可以 在哪 去哪 去哪里 有什么用 有用吗 有哪些 是什么 什么意思 怎么算 怎么计算 "
    "咋弄 咋整 可以吗 还可以 是多少 有多少 给不给 管不管 算不算 需不需要 用不用 行不 "
    "还有吗 一共 总共 每个月 每月 每年 一下子 我的 我家 我们家 咱家 俺家 这边 那边 "
    "这里 那里 啥时候 多会儿 哪一天 一起 回来 过来".split()
)
# Words of stopwords-iso's Chinese list that mean something in talent services
# (a district, a year, the place itself): kept as search terms.
KEEP_FROM_STOPWORDS = frozenset(
    "区 临 年 月 日 大 小 中 内 上 下 后 本地 当地 全体 个别 人 人们 大家 "
    "开始 结果 时候 起 用 看 做 来 打 拿 叫 点 分 第 用来 以上 以下".split()
)


# Words that say what kind of answer is wanted, not what about (政策, 待遇):
# they add to the score but a document need not contain them.
OPTIONAL_WORDS = frozenset(
    "政策 待遇 优惠 规定 办法 措施 问题 情况 事项 相关 内容 方面 具体 条件 要求 "
    "规定 标准 手续 程序 途径 方式 渠道 服务 支持 扶持 帮助 保障 不够 不到 超过 "
    "以后 之后 以前 之前 现在 今年 明年 去年 申请 申报 办理 提交 需要 安排 "
    "好处 福利 影响 有关 包括 范围 对象 资格 刚来 新来 刚来的 新来的".split()
)


# Question phrases jieba keeps apart or joins to a neighbour ("能 不能",
# "怎么办签证"): removed from the query text before it is segmented.
QUESTION_PHRASES = (
    "怎么办理",
    "如何办理",
    "可不可以",
    "什么时候",
    "怎么办",
    "怎么领",
    "怎么弄",
    "能不能",
    "是不是",
    "有没有",
    "在哪里",
    "在哪儿",
    "多少钱",
)
