var data = {
 "result": {
  "total": 3,
  "rows": [
   {
    "DOCID": 9001,
    "DOCTITLE": "净月街道开展冬季消防安全宣传活动",
    "DOCPUBURL": "./202611/t20261123_9001.html",
    "DOCRELTIME": 1795399200000,
    "attrs": {
     "source": "净月街道"
    }
   },
   {
    "DOCID": 9000,
    "DOCTITLE": "玉潭镇召开村级组织换届工作部署会",
    "DOCPUBURL": "./202611/t20261119_9000.html",
    "DOCRELTIME": 1795073400000,
    "attrs": {
     "source": "玉潭镇"
    }
   },
   {
    "DOCID": 8999,
    "DOCTITLE": "新湖镇组织收看全省安全生产电视电话会议",
    "DOCPUBURL": "./202611/t20261112_8999.html",
    "DOCRELTIME": 1794412800000,
    "attrs": {
     "source": "新湖镇"
    }
   }
  ]
 }
};
var pageCount = 1;
