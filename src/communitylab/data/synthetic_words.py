"""The words of the synthetic community: made-up display names, message phrases, and the
texts of check-ins, bot and moderator posts, in English and Chinese.

Word lists only, written for this course; no real person's name or message is in them.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "ADJECTIVES",
    "NOUNS",
    "PHRASES",
    "STICKERS",
    "CHECKIN",
    "BOT_POST",
    "MOD_POST",
    "RENAME",
    "BOT_NAME",
    "MOD_NAME",
    "pseudonymous_names",
    "language_key",
]


ADJECTIVES = {
    "en": (
        "Amber",
        "Brisk",
        "Calm",
        "Dapper",
        "Eager",
        "Fuzzy",
        "Gentle",
        "Hazel",
        "Ivory",
        "Jolly",
        "Keen",
        "Lucky",
        "Mellow",
        "Nimble",
        "Olive",
        "Plucky",
        "Quiet",
        "Rusty",
        "Sunny",
        "Tidy",
        "Umber",
        "Vivid",
        "Witty",
        "Zesty",
    ),
    "zh": (
        "小",
        "阿",
        "大",
        "老",
        "青",
        "白",
        "橙",
        "蓝",
        "紫",
        "金",
        "银",
        "墨",
        "绿",
        "红",
        "暖",
        "静",
        "晴",
        "雨",
        "云",
        "星",
        "月",
        "风",
        "松",
        "竹",
    ),
}
NOUNS = {
    "en": (
        "Falcon",
        "Otter",
        "Heron",
        "Lynx",
        "Panda",
        "Quokka",
        "Robin",
        "Seal",
        "Tapir",
        "Vole",
        "Wren",
        "Yak",
        "Badger",
        "Crane",
        "Dolphin",
        "Egret",
        "Finch",
        "Gecko",
        "Ibis",
        "Koala",
        "Lemur",
        "Marten",
        "Newt",
        "Owl",
    ),
    "zh": (
        "鹿",
        "熊",
        "鲸",
        "狐",
        "兔",
        "猫",
        "鹤",
        "燕",
        "鱼",
        "虎",
        "鸽",
        "雀",
        "鹰",
        "龟",
        "狸",
        "獭",
        "鸥",
        "蝶",
        "蜂",
        "羊",
        "马",
        "牛",
        "豹",
        "鹭",
    ),
}
PHRASES = {
    "en": (
        "Good morning, everyone!",
        "Has anyone tried the new version yet?",
        "Thanks, that helped a lot.",
        "I'll share my notes after the call.",
        "Where can I find last week's slides?",
        "Agreed.",
        "Interesting point, but I see it differently.",
        "Count me in for Saturday.",
        "Can someone explain this step?",
        "Haha, same here 😂",
        "Welcome aboard!",
        "Here is what worked for me: start small, then iterate.",
        "Is the meetup still on?",
        "+1",
        "Great question.",
        "I missed the live session, is there a recording?",
        "Let's keep this thread on topic, please.",
        "Does this apply to beginners too?",
        "Just finished the exercise!",
        "Quick tip: save your work often.",
        "Who else is working on the project tonight?",
        "Nice, congrats! 🎉",
        "I had the same problem yesterday.",
        "The link in the pinned post is broken.",
        "Sounds good to me.",
        "Any book recommendations?",
        "Sorry, I was away all week.",
        "What time zone is everyone in?",
        'That\'s a "quick fix", not a solution.',
        "Step 1: read the docs,\nstep 2: ask here.",
        "Thank you all 🙏",
        "See you next week.",
        "Can we vote on the next topic?",
        "I agree with the previous message, mostly.",
        "Posting my progress: 3 of 5 tasks done.",
        "Is anyone else seeing this error?",
        "Love this group ❤️",
        "Reminder: the event starts at 8pm.",
        "Following.",
        "Good night!",
    ),
    "zh": (
        "大家早上好！",
        "有人试过新版本了吗？",
        "谢谢，帮了大忙。",
        "开完会我把笔记发上来。",
        "上周的课件在哪里能找到？",
        "同意。",
        "这个观点挺有意思，不过我不太认同。",
        "周六我也参加。",
        "有人能解释一下这一步吗？",
        "哈哈，我也是 😂",
        "欢迎新朋友！",
        "分享一下我的做法：先从小处开始，再慢慢迭代。",
        "线下聚会还办吗？",
        "+1",
        "好问题。",
        "直播我错过了，有回放吗？",
        "大家尽量围绕主题讨论哈。",
        "新手也适用吗？",
        "刚做完练习！",
        "小提示：记得经常保存。",
        "今晚还有谁在做项目？",
        "厉害，恭喜！🎉",
        "我昨天也遇到同样的问题。",
        "置顶帖里的链接打不开了。",
        "可以的。",
        "有推荐的书吗？",
        "不好意思，这周一直在外面。",
        "大家都在哪个时区？",
        "这只是“临时方案”，不算解决。",
        "第一步：看文档，\n第二步：来群里问。",
        "谢谢大家 🙏",
        "下周见。",
        "下次的话题我们投票决定吧？",
        "基本同意楼上。",
        "打卡进度：5 个任务完成 3 个。",
        "还有人看到这个报错吗？",
        "爱这个群 ❤️",
        "提醒：活动晚上 8 点开始。",
        "关注一下。",
        "晚安！",
    ),
}
STICKERS = ("👍", "😂", "🎉", "🙏", "❤️", "👏", "😅", "🔥")
CHECKIN = {"en": "Checked in ✅ day {day}", "zh": "打卡 ✅ 第 {day} 天"}
BOT_POST = {
    "en": "Good morning! Today's check-in is open. Reply with what you will work on today.",
    "zh": "早安！今天的打卡开始啦，回复你今天的计划吧。",
}
MOD_POST = {
    "en": (
        "Welcome to everyone who joined this week!",
        "This week's topic is up in the pinned post.",
        "Thanks for all the great questions today.",
        "Live Q&A tonight at 8pm, bring your questions.",
    ),
    "zh": (
        "欢迎本周新加入的朋友！",
        "本周话题已置顶，欢迎讨论。",
        "感谢大家今天的好问题。",
        "今晚 8 点直播答疑，欢迎带问题来。",
    ),
}
RENAME = {"en": "The group name was changed", "zh": "群名已修改"}
BOT_NAME = {"en": "CheckInBot", "zh": "打卡Bot"}
MOD_NAME = {"en": "Host", "zh": "群管"}


def pseudonymous_names(count: int, language: str = "en", rng: np.random.Generator | None = None) -> list[str]:
    """``count`` distinct made-up display names ("Amber Falcon", "蓝鲸"), shuffled by ``rng``.

    Combinations of two word lists; a number is appended once they run out.
    """
    adjectives, nouns = ADJECTIVES[language_key(language)], NOUNS[language_key(language)]
    joiner = " " if language_key(language) == "en" else ""
    base = [f"{a}{joiner}{n}" for a in adjectives for n in nouns]
    if rng is not None:
        base = [base[i] for i in rng.permutation(len(base))]
    return [
        base[i % len(base)] + ("" if i < len(base) else f"{joiner or ' '}{i // len(base) + 1}") for i in range(count)
    ]


def language_key(language: str) -> str:
    """``"zh"`` for any Chinese language tag (``"zh_CN"``, ``"zh"``), else ``"en"``: the key of the word lists."""
    return "zh" if language.lower().startswith("zh") else "en"
